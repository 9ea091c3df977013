using AcceptD.Core.Devices;
using AcceptD.Core.Drivers;
using AcceptD.Core.Policy;
using AcceptD.Core.Topology;

namespace AcceptD.Core.Planning;

/// <summary>
/// The whole decision for one device, pure: candidates from the module index, the policy's verdict
/// (or the topology lock's), and the plan that carries it out.
/// </summary>
public sealed class DeviceJudge(PolicyEvaluator policy, DriverResolver resolver, Planner planner)
{
    /// <summary>The rule that decides every new device once the topology is locked.</summary>
    public static readonly Rule TopologyLockRule = new(Verdict.Deny, [], new SourceLocation("(topology lock)", 0, 0),
        "deny (topology locked)", reason: "topology is locked: no new device is accepted");

    public PolicyEvaluator Policy => policy;

    public DeviceFacts Facts(Device device, DeviceTree tree, DeviceOrigin origin, bool boundBeforeStart, bool tdispVerified = false) =>
        new(device, tree.Ancestors(device).ToList(), resolver.Candidates(device), origin, boundBeforeStart, tdispVerified);

    /// <param name="topologyLock">The lock in force: a plan that would bind a device it refuses becomes a denial, and
    /// the TDISP steps of one it admits are pinned to the evidence it recorded.</param>
    public BindPlan Judge(DeviceFacts facts, bool newAfterTopologyLock = false, TopologyLock? topologyLock = null)
    {
        if (newAfterTopologyLock) return Locked(facts, TopologyLockRule.Reason!);
        var plan = planner.Plan(facts, policy.Decide(facts));
        if (topologyLock is null) return plan;
        return topologyLock.Refuses(plan) is { } why ? Locked(facts, why) : topologyLock.Pin(plan);
    }

    private BindPlan Locked(DeviceFacts facts, string why) => planner.Plan(facts, new Decision(Verdict.Deny, TopologyLockRule, null, why));
}
