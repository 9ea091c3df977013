using System.CommandLine;
using AcceptD.Core.Planning;

namespace AcceptD.Cli.DryRun;

/// <summary>`acceptd dry-run`: the coldplug decisions and planned writes for this machine or a snapshot. Writes nothing.</summary>
public static class DryRunCommand
{
    public static Command Create()
    {
        var source = new HostSourceOptions();
        var policy = CommonOptions.Policy();
        var json = CommonOptions.Json();
        var command = new Command("dry-run", "Show what AcceptD would decide and write for every device; writes nothing.") { policy, json };
        source.AddTo(command);
        command.SetAction(result =>
        {
            var host = source.Open(result);
            if (host is null) return CliErrors.Usage;
            var policyLoaded = CliErrors.LoadPolicy(result, HostContext.PolicyDirectories(result.GetValue(policy) ?? []));
            if (policyLoaded is null) return CliErrors.Failure;
            var analysis = HostAnalysis.Run(host, policyLoaded, new PlannerOptions());
            var output = result.GetValue(json)
                ? DryRunReport.Json(analysis, policyLoaded.Files)
                : DryRunReport.Text(analysis, policyLoaded.Files);
            result.InvocationConfiguration.Output.Write(output);
            return CliErrors.Ok;
        });
        return command;
    }
}
