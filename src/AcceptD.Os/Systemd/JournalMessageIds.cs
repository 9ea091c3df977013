using Serilog;

namespace AcceptD.Os.Systemd;

/// <summary>
/// journald MESSAGE_IDs, one per kind of event, so that <c>journalctl MESSAGE_ID=…</c> finds every event of that
/// kind across versions. Attach one with <see cref="WithMessageId"/>; the journal sink turns it into MESSAGE_ID.
/// Never change a published value.
/// </summary>
public static class JournalMessageIds
{
    /// <summary>Name of the log event property that <see cref="JournalSink"/> maps to MESSAGE_ID.</summary>
    public const string PropertyName = "MessageId";

    public static readonly Guid DeviceDecided = Guid.Parse("41f5d553e52945a8afc082ee65aedf0a");
    public static readonly Guid DeviceBound = Guid.Parse("86318336d0bd4ee7b0aaf52e5226a992");
    public static readonly Guid DeviceDenied = Guid.Parse("abab06476cda4586a46e03fb637d2248");
    public static readonly Guid PolicyViolation = Guid.Parse("aa3a88323f9b44f2982717227f500a83");
    public static readonly Guid PolicyError = Guid.Parse("a964bc0eec40408f8a453c2a4b4b2931");
    public static readonly Guid TopologyLocked = Guid.Parse("273ae67b22614cba85da630f661e8752");
    public static readonly Guid DeviceAccepted = Guid.Parse("d819b16cd79048c79b262d648e200f02");
    public static readonly Guid KernelError = Guid.Parse("d2beba454bbf40278efeb109ac82cb8a");
    public static readonly Guid DaemonStarted = Guid.Parse("804c401d28154e4a9645c9e80515f57a");
    public static readonly Guid DecisionCarriedOver = Guid.Parse("dde9a8656afd4fba9a267ab3bc03aa18");

    /// <summary>A logger whose events carry <paramref name="messageId"/> (e.g. <c>log.WithMessageId(DeviceDenied).Warning(…)</c>).</summary>
    public static ILogger WithMessageId(this ILogger logger, Guid messageId) => logger.ForContext(PropertyName, messageId);
}
