using System.CommandLine;

namespace AcceptD.Cli.Deny;

/// <summary>`acceptd deny DEVICE [-p]`: operator refusal; the daemon keeps the device unbound (root or polkit).</summary>
public static class DenyCommand
{
    public static Command Create() => DeviceDecisionCommand.Create("deny",
        "Deny a device now: the daemon unbinds it and keeps it unbound.", (client, device, persistent) => client.Deny(device, persistent));
}
