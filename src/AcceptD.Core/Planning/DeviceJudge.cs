using AcceptD.Core.Devices;
using AcceptD.Core.Drivers;
using AcceptD.Core.Policy;

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

    public BindPlan Judge(DeviceFacts facts, bool newAfterTopologyLock = false)
    {
        var decision = newAfterTopologyLock
            ? new Decision(Verdict.Deny, TopologyLockRule, null, TopologyLockRule.Reason!)
            : policy.Decide(facts);
        return planner.Plan(facts, decision);
    }
}
