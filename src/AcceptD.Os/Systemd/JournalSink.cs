using System.Globalization;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace AcceptD.Os.Systemd;

/// <summary>
/// Serilog sink writing structured entries to journald: MESSAGE, PRIORITY, SYSLOG_IDENTIFIER, MESSAGE_ID (from the
/// <see cref="JournalMessageIds.PropertyName"/> property) and every scalar property as ACCEPTD_&lt;NAME&gt;, so that
/// e.g. <c>journalctl ACCEPTD_DECISION=deny</c> works (enum values are written in lower case). Throws when journald cannot take the entry, which lets
/// Serilog's FallbackChain write it elsewhere.
/// </summary>
public sealed class JournalSink(JournalSocket socket, string identifier) : ILogEventSink, IDisposable
{
    public const string FieldPrefix = "ACCEPTD_";

    // Strings without quotes in MESSAGE (as on stderr): journal readers see "pci/0000:00:04.0: deny", not "\"pci/…\"".
    private static readonly MessageTemplateTextFormatter LiteralMessage = new("{Message:lj}", CultureInfo.InvariantCulture);

    public void Emit(LogEvent logEvent) => socket.Send(JournalEntryEncoder.Encode(Fields(logEvent, identifier)));

    public static IEnumerable<KeyValuePair<string, string>> Fields(LogEvent logEvent, string identifier)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture);
        LiteralMessage.Format(logEvent, text);
        var message = text.ToString();
        if (logEvent.Exception is { } exception)
            message += "\n" + exception;
        yield return new("MESSAGE", message);
        yield return new("PRIORITY", Priority(logEvent.Level).ToString(CultureInfo.InvariantCulture));
        yield return new("SYSLOG_IDENTIFIER", identifier);
        foreach (var (name, value) in logEvent.Properties)
        {
            if (value is not ScalarValue scalar)
                continue;
            if (name == JournalMessageIds.PropertyName)
            {
                if (MessageId(scalar.Value) is { } id)
                    yield return new("MESSAGE_ID", id);
                continue;
            }
            yield return new(JournalEntryEncoder.FieldName(FieldPrefix, name), Text(scalar.Value));
        }
    }

    /// <summary>syslog priorities (0 emerg … 7 debug) as journald and journalctl -p use them.</summary>
    public static int Priority(LogEventLevel level) => level switch
    {
        LogEventLevel.Fatal => 2,
        LogEventLevel.Error => 3,
        LogEventLevel.Warning => 4,
        LogEventLevel.Information => 6,
        _ => 7,
    };

    private static string? MessageId(object? value) => value switch
    {
        Guid id => id.ToString("N"),
        string text when Guid.TryParse(text, out var id) => id.ToString("N"),
        _ => null,
    };

    private static string Text(object? value) => value switch
    {
        null => "",
        string text => text,
        bool flag => flag ? "true" : "false",
        // Lower case as the policy language spells verdicts, so `journalctl ACCEPTD_DECISION=deny` matches.
        Enum member => member.ToString().ToLowerInvariant(),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    public void Dispose() => socket.Dispose();
}
