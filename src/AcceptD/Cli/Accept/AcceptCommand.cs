using System.CommandLine;

namespace AcceptD.Cli.Accept;

/// <summary>`acceptd accept DEVICE [-p]`: operator approval; the daemon binds the device (root or polkit).</summary>
public static class AcceptCommand
{
    public static Command Create() => DeviceDecisionCommand.Create("accept",
        "Accept a device now: the daemon binds it to its driver.", (client, device, persistent) => client.Accept(device, persistent));
}
