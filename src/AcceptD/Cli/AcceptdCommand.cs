using System.CommandLine;

namespace AcceptD.Cli;

/// <summary>The verb table: one line per verb; each verb lives in its own folder under Cli/, except `daemon`, which lives with the daemon.</summary>
public static class AcceptdCommand
{
    public static RootCommand Create()
    {
        var root = new RootCommand("AcceptD: decides which devices of a confidential VM may bind to a driver.");
        root.Subcommands.Add(DryRun.DryRunCommand.Create());
        root.Subcommands.Add(Snapshot.SnapshotCommand.Create());
        root.Subcommands.Add(AcceptD.Daemon.DaemonCommand.Create());
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

    /// <summary>
    /// Parses and runs. A command line that does not parse (unknown option, empty or missing path) is a usage error:
    /// each problem on stderr and exit code 2, as README documents, where System.CommandLine's default would return 1.
    /// </summary>
    public static int Invoke(string[] args, InvocationConfiguration? configuration = null)
    {
        var parsed = Create().Parse(args);
        if (parsed.Errors.Count == 0) return parsed.Invoke(configuration);
        var error = configuration?.Error ?? Console.Error;
        foreach (var problem in parsed.Errors) error.WriteLine("acceptd: " + problem.Message);
        error.WriteLine("(acceptd --help lists the verbs and options)");
        return CliErrors.Usage;
    }
}
