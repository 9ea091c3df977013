using System.CommandLine;

namespace AcceptD.Cli;

/// <summary>The verb table: one line per verb; each verb lives in its own folder under Cli/.</summary>
public static class AcceptdCommand
{
    public static RootCommand Create()
    {
        var root = new RootCommand("AcceptD: decides which devices of a confidential VM may bind to a driver.");
        root.Subcommands.Add(DryRun.DryRunCommand.Create());
        root.Subcommands.Add(Snapshot.SnapshotCommand.Create());
        root.Subcommands.Add(Daemon.DaemonCommand.Create());
        root.Subcommands.Add(GeneratePolicy.GeneratePolicyCommand.Create());
        root.Subcommands.Add(Modalias.ModaliasCommand.Create());
        root.Subcommands.Add(PolicyVerbs.PolicyCommand.Create());
        root.Subcommands.Add(List.ListCommand.Create());
        root.Subcommands.Add(Show.ShowCommand.Create());
        root.Subcommands.Add(Accept.AcceptCommand.Create());
        root.Subcommands.Add(Deny.DenyCommand.Create());
        root.Subcommands.Add(Lock.LockCommand.Create());
        root.Subcommands.Add(Topology.TopologyCommand.Create());
        root.Subcommands.Add(Reload.ReloadCommand.Create());
        root.Subcommands.Add(Watch.WatchCommand.Create());
        root.Subcommands.Add(Attest.AttestCommand.Create());
        return root;
    }
}
