using System.CommandLine;
using AcceptD.Core.State;

namespace AcceptD.Cli.PolicyVerbs;

/// <summary>`acceptd policy explain DEVICE`: every rule considered for one device, each condition's result, the deciding rule and the plan.</summary>
public static class PolicyExplainCommand
{
    public static Command Create()
    {
        var device = new Argument<string>("DEVICE") { Description = "Device as bus/name (pci/0000:00:03.0), name, or sysfs path." };
        var decision = new DecisionOptions();
        var command = new Command("explain", "Show how the policy decides one device.") { device };
        decision.AddTo(command);
        command.SetAction(result =>
        {
            if (decision.Analyse(result, out var exitCode) is not { } analysis) return exitCode;
            var name = result.GetValue(device)!;
            if (analysis.Inventory.Tree.Lookup(name) is not { } found)
            {
                result.InvocationConfiguration.Error.WriteLine(
                    $"acceptd: no device '{name}' in {analysis.Host.Source} (names are like pci/0000:00:03.0; 'acceptd dry-run' lists them)");
                return CliErrors.Usage;
            }
            var plan = analysis.Plans.Single(p => p.Facts.Device.Key == found.Key);
            var output = result.InvocationConfiguration.Output;
            output.WriteLine(analysis.Pipeline.Explain(plan).ToString().TrimEnd());
            output.WriteLine($"outcome: {plan.Outcome.Name()}{(plan.Note is null ? "" : " (" + plan.Note + ")")}");
            foreach (var step in plan.Steps) output.WriteLine("  would " + step.Describe());
            return CliErrors.Ok;
        });
        return command;
    }
}
