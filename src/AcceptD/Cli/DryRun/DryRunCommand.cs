using System.CommandLine;

namespace AcceptD.Cli.DryRun;

/// <summary>`acceptd dry-run`: the coldplug decisions and planned writes for this machine or a snapshot. Writes nothing.</summary>
public static class DryRunCommand
{
    public static Command Create()
    {
        var source = new HostSourceOptions();
        var decision = new DecisionOptions();
        var json = CommonOptions.Json();
        var command = new Command("dry-run", "Show what AcceptD would decide and write for every device; writes nothing.") { json };
        source.AddTo(command);
        decision.AddTo(command);
        command.SetAction(result =>
        {
            var host = source.Open(result);
            if (host is null) return CliErrors.Usage;
            var pipeline = decision.Pipeline(result, host);
            if (pipeline is null) return CliErrors.Failure;
            var analysis = HostAnalysis.Run(host, pipeline);
            var output = result.GetValue(json) ? DryRunReport.Json(analysis) : DryRunReport.Text(analysis);
            result.InvocationConfiguration.Output.Write(output);
            return CliErrors.Ok;
        });
        return command;
    }
}
