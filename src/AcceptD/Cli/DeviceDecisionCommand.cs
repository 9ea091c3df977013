using System.CommandLine;

namespace AcceptD.Cli;

/// <summary>The shape shared by `accept` and `deny`: DEVICE [-p|--persistent], print the daemon's answer.</summary>
internal static class DeviceDecisionCommand
{
    public static Command Create(string name, string description, Func<DaemonClient, string, bool, string> decide)
    {
        var device = new Argument<string>("device") { Description = "Key (pci/0000:00:03.0), bus name, sysfs path or object path." };
        var persistent = new Option<bool>("--persistent", "-p") { Description = "Also write the decision as a rule to /etc/acceptd/rules.d/." };
        return DaemonClient.Verb(name, description, (parse, client, output) =>
        {
            output.WriteLine(decide(client, parse.GetValue(device)!, parse.GetValue(persistent)));
            return CliErrors.Ok;
        }, device, persistent);
    }
}
