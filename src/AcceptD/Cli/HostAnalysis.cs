using AcceptD.Core.Devices;
using AcceptD.Core.Drivers;
using AcceptD.Core.Planning;
using AcceptD.Core.Policy;

namespace AcceptD.Cli;

/// <summary>What the daemon would decide at coldplug, computed in-process for dry-run, explain and generate-policy.</summary>
public sealed record HostAnalysis(HostContext Host, Inventory Inventory, DeviceJudge Judge, IReadOnlyList<BindPlan> Plans)
{
    public static HostAnalysis Run(HostContext host, Policy policy, PlannerOptions options)
    {
        var inventory = new InventoryReader(host.Files, policy.AttributeNames).Read();
        var judge = new DeviceJudge(new PolicyEvaluator(policy), new DriverResolver(host.Modules, inventory.Drivers),
            new Planner(host.Modules, inventory, options));
        var plans = inventory.Tree.Devices
            .Select(d => judge.Judge(judge.Facts(d, inventory.Tree, DeviceOrigin.Coldplug, d.IsBound)))
            .ToList();
        return new HostAnalysis(host, inventory, judge, plans);
    }
}
