using System.CommandLine;

namespace AcceptD.Cli.Topology;

/// <summary>`acceptd topology`: the daemon's canonical topology record (JSON).</summary>
public static class TopologyCommand
{
    public static Command Create() => DaemonClient.Verb("topology", "Print the device topology record as JSON.",
        (_, client, output) => { output.WriteLine(client.Topology()); return CliErrors.Ok; });
}
