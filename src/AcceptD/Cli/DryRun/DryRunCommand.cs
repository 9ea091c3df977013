using System.CommandLine;

namespace AcceptD.Cli.DryRun;

/// <summary>`acceptd dry-run`: the coldplug decisions and planned writes for this machine or a snapshot. Writes nothing.</summary>
public static class DryRunCommand
{
    public static Command Create()
    {
        var decision = new DecisionOptions();
        var json = CommonOptions.Json();
        var command = new Command("dry-run", "Show what AcceptD would decide and write for every device; writes nothing.") { json };
        decision.AddTo(command);
        command.SetAction(result =>
        {
            if (decision.Analyse(result, out var exitCode) is not { } analysis) return exitCode;
            var output = result.GetValue(json) ? DryRunReport.Json(analysis) : DryRunReport.Text(analysis);
            result.InvocationConfiguration.Output.Write(output);
            return CliErrors.Ok;
        });
        return command;
    }
}
