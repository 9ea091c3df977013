using System.CommandLine;

namespace AcceptD.Cli.Lock;

/// <summary>`acceptd lock`: freeze the device topology; later arrivals are violations (root or polkit).</summary>
public static class LockCommand
{
    public static Command Create() => DaemonClient.Verb("lock", "Lock the device topology: devices appearing later are refused.",
        (_, client, output) => { output.WriteLine(client.LockTopology()); return CliErrors.Ok; });
}
