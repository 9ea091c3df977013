using System.CommandLine;
using AcceptD.Core.Planning;

namespace AcceptD.Cli.PolicyVerbs;

/// <summary>`acceptd policy explain DEVICE`: every rule considered for one device, each condition's result, the deciding rule and the plan.</summary>
public static class PolicyExplainCommand
{
    public static Command Create()
    {
        var device = new Argument<string>("DEVICE") { Description = "Device as bus/name (pci/0000:00:03.0), name, or sysfs path." };
        var source = new HostSourceOptions();
        var policy = CommonOptions.Policy();
        var command = new Command("explain", "Show how the policy decides one device.") { device, policy };
        source.AddTo(command);
        command.SetAction(result =>
        {
            var host = source.Open(result);
            if (host is null) return CliErrors.Usage;
            var loaded = CliErrors.LoadPolicy(result, HostContext.PolicyDirectories(result.GetValue(policy) ?? []));
            if (loaded is null) return CliErrors.Failure;
            var analysis = HostAnalysis.Run(host, loaded, new PlannerOptions());
            var name = result.GetValue(device)!;
            if (analysis.Inventory.Tree.Lookup(name) is not { } found)
            {
                result.InvocationConfiguration.Error.WriteLine(
                    $"acceptd: no device '{name}' in {host.Source} (names are like pci/0000:00:03.0; 'acceptd dry-run' lists them)");
                return CliErrors.Usage;
            }
            var plan = analysis.Plans.Single(p => p.Facts.Device.Key == found.Key);
            var output = result.InvocationConfiguration.Output;
            output.WriteLine(analysis.Judge.Policy.Explain(plan.Facts).ToString().TrimEnd());
            output.WriteLine($"outcome: {Core.State.DeviceStateNames.Name(plan.Outcome)}{(plan.Note is null ? "" : " (" + plan.Note + ")")}");
            foreach (var step in plan.Steps) output.WriteLine("  would " + step.Describe());
            return CliErrors.Ok;
        });
        return command;
    }
}
