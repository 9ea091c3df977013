using System.CommandLine;
using AcceptD.Core.Planning;
using AcceptD.Core.Policy;

namespace AcceptD.Cli.GeneratePolicy;

/// <summary>`acceptd generate-policy`: allow rules for the devices present now, for an operator to review (USBGuard style).</summary>
public static class GeneratePolicyCommand
{
    public static Command Create()
    {
        var source = new HostSourceOptions();
        var command = new Command("generate-policy", "Print allow rules for every device present now (review before use).");
        source.AddTo(command);
        command.SetAction(result =>
        {
            var host = source.Open(result);
            if (host is null) return CliErrors.Usage;
            // Candidates come from the decision of a policy that allows everything, so each rule names the driver that would bind.
            var allowAll = PolicyLoader.FromSources([("(generate)", "default allow")]).Policy!;
            var analysis = HostAnalysis.Run(host, new DecisionPipeline(new PolicyEvaluator(allowAll), host.Modules, new PlannerOptions()));
            result.InvocationConfiguration.Output.Write(PolicyGenerator.Generate(analysis.Plans.Select(p => (p.Facts.Device, p.Decision.Chosen))));
            return CliErrors.Ok;
        });
        return command;
    }
}
