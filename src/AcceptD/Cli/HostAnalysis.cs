using AcceptD.Core.Devices;
using AcceptD.Core.Planning;

namespace AcceptD.Cli;

/// <summary>What the daemon would decide at coldplug, computed in-process through its pipeline for dry-run, explain and generate-policy.</summary>
public sealed record HostAnalysis(HostContext Host, Inventory Inventory, DecisionPipeline Pipeline, IReadOnlyList<BindPlan> Plans)
{
    public static HostAnalysis Run(HostContext host, DecisionPipeline pipeline)
    {
        var inventory = new InventoryReader(host.Files, pipeline.Policy.Policy.AttributeNames).Read();
        return new HostAnalysis(host, inventory, pipeline, pipeline.Coldplug(inventory));
    }
}
