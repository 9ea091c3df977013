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
        var evaluator = new PolicyEvaluator(policy);
        var resolver = new DriverResolver(host.Modules, inventory.Drivers);
        var plans = new List<BindPlan>();
        var loaded = inventory.LoadedModules;
        foreach (var device in inventory.Tree.Devices)
        {
            // Plans follow each other as the daemon's would: a module loaded for one device is not loaded again.
            var judge = new DeviceJudge(evaluator, resolver, new Planner(host.Modules, inventory with { LoadedModules = loaded }, options));
            var plan = judge.Judge(judge.Facts(device, inventory.Tree, DeviceOrigin.Coldplug, device.IsBound));
            loaded = loaded.Union(plan.Steps.OfType<LoadModule>().Select(l => l.Module));
            plans.Add(plan);
        }
        return new HostAnalysis(host, inventory, new DeviceJudge(evaluator, resolver, new Planner(host.Modules, inventory, options)), plans);
    }
}
