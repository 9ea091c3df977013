using System.Collections.Immutable;
using AcceptD.Core.Devices;
using AcceptD.Core.Drivers;
using AcceptD.Core.Policy;
using AcceptD.Core.Topology;

namespace AcceptD.Core.Planning;

/// <summary>
/// The one way from a device to its plan: driver candidates from the module index, the policy's verdict (or the
/// topology lock's), and the planned writes under the daemon's options. The daemon, `dry-run`, `policy explain` and
/// the D-Bus device properties all decide through it, so what is shown is what the daemon does.
/// </summary>
public sealed class DecisionPipeline(PolicyEvaluator policy, ModuleIndex modules, PlannerOptions options)
{
    public PolicyEvaluator Policy => policy;

    public PlannerOptions Options => options;

    /// <summary>What the daemon writes before it decides any device: autoprobe off on every bus.</summary>
    public static ImmutableArray<PlanStep> StartSteps { get; } = [new ZeroAutoprobe()];

    /// <summary>A pass over one reading of sysfs (a scan, or one uevent's device).</summary>
    public DecisionPass Begin(Inventory inventory) => new(policy, modules, options, inventory);

    /// <summary>
    /// Every device of the inventory decided as the daemon's coldplug does: in tree order, devices bound now counted as
    /// bound before AcceptD started.
    /// </summary>
    public IReadOnlyList<BindPlan> Coldplug(Inventory inventory)
    {
        var pass = Begin(inventory);
        return [.. inventory.Tree.Devices.Select(device => pass.Plan(device, DeviceOrigin.Coldplug, device.IsBound))];
    }

    /// <summary>Every rule considered for the plan's device, with each condition's result.</summary>
    public Explanation Explain(BindPlan plan) => policy.Explain(plan.Facts);
}

/// <summary>
/// Plans for the devices of one inventory, one after the other as the daemon carries them out: a module a plan loads is
/// counted as loaded for the plans after it, so it is loaded once (unless a TDISP verification comes before the load).
/// </summary>
public sealed class DecisionPass(PolicyEvaluator policy, ModuleIndex modules, PlannerOptions options, Inventory inventory)
{
    private readonly DriverResolver _resolver = new(modules, inventory.Drivers);
    private ImmutableHashSet<string> _loaded = inventory.LoadedModules;

    public BindPlan Plan(Device device, DeviceOrigin origin, bool boundBeforeStart, bool newAfterTopologyLock = false, bool tdispVerified = false,
        TopologyLock? topologyLock = null)
    {
        var planner = new Planner(modules, inventory with { LoadedModules = _loaded }, options);
        var judge = new DeviceJudge(policy, _resolver, planner);
        var plan = judge.Judge(judge.Facts(device, inventory.Tree, origin, boundBeforeStart, tdispVerified), newAfterTopologyLock, topologyLock);
        // A TDISP plan loads its module only once the device passed verification: the plans after it load it themselves.
        if (!plan.Steps.Any(s => s is AcceptTdisp)) _loaded = _loaded.Union(plan.Steps.OfType<LoadModule>().Select(l => l.Module));
        return plan;
    }
}
