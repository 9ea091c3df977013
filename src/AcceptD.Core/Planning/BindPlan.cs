using System.Collections.Immutable;
using AcceptD.Core.Policy;
using AcceptD.Core.State;

namespace AcceptD.Core.Planning;

/// <summary>
/// The decision for one device and the ordered writes that carry it out. Outcome is the state the device is in
/// when every step succeeds (or at once, when there are no steps); Note explains plans with no writes.
/// </summary>
public sealed record BindPlan(DeviceFacts Facts, Decision Decision, ImmutableArray<PlanStep> Steps, DeviceState Outcome, string? Note)
{
    public bool IsEmpty => Steps.IsEmpty;
}
