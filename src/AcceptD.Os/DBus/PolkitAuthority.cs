namespace AcceptD.Os.DBus;

/// <summary>
/// Decides whether the sender of a method call may change things: root and the daemon's own user may; anyone else
/// only when polkit says so for the action (no interactive authentication: a D-Bus call cannot wait for a password
/// prompt). Without polkit on the bus the answer is no.
/// </summary>
public static class PolkitAuthority
{
    private const string Name = "org.freedesktop.PolicyKit1";
    private static readonly uint OwnEuid = Libc.GetEuid();

    /// <summary>Returns normally when allowed; throws org.freedesktop.DBus.Error.AccessDenied otherwise.</summary>
    public static void Require(BusMessage call, string actionId)
    {
        var sender = call.Sender ?? throw Denied(actionId, "the call has no sender");
        if (SenderEuid(call) is { } euid && (euid == 0 || euid == OwnEuid)) return;
        bool allowed;
        try
        {
            allowed = CheckAuthorization(BusConnection.Of(call), sender, actionId);
        }
        catch (BusErrorException e) when (e.IsNoService)
        {
            throw Denied(actionId, "polkit is not running and the caller is not root");
        }
        if (!allowed) throw Denied(actionId, "polkit refused");
    }

    private static BusErrorException Denied(string actionId, string why) =>
        new(BusErrorException.AccessDenied, $"not authorized for {actionId}: {why}");

    private static uint? SenderEuid(BusMessage call)
    {
        if (LibSdBus.sd_bus_query_sender_creds(call.Handle, LibSdBus.CredsEuid | LibSdBus.CredsAugment, out var creds) < 0) return null;
        try
        {
            return LibSdBus.sd_bus_creds_get_euid(creds, out var euid) < 0 ? null : euid;
        }
        finally
        {
            LibSdBus.sd_bus_creds_unref(creds);
        }
    }

    /// <summary>org.freedesktop.PolicyKit1.Authority.CheckAuthorization for subject ("system-bus-name", {"name": sender}).</summary>
    private static bool CheckAuthorization(BusConnection bus, string sender, string actionId) =>
        bus.Call(Name, "/org/freedesktop/PolicyKit1/Authority", "org.freedesktop.PolicyKit1.Authority", "CheckAuthorization",
            m => m.Open('r', "sa{sv}").AppendString("system-bus-name")
                    .Open('a', "{sv}").AppendDictEntry("name", "s", v => v.AppendString(sender)).Close()
                .Close()
                .AppendString(actionId)
                .Open('a', "{ss}").Close()
                .AppendUInt32(0) // flags: no user interaction
                .AppendString(""),
            reply =>
            {
                reply.Enter('r', "bba{ss}");
                return reply.ReadBool();
            },
            TimeSpan.FromSeconds(10));
}
