using AcceptD.Core.Planning;
using AcceptD.Core.State;

namespace AcceptD.Core.Topology;

/// <summary>
/// A topology frozen by `acceptd lock`: from then on only devices of the locked record, with the same identity and
/// evidence, may be accepted; anything else is a violation.
/// </summary>
public sealed record TopologyLock(TopologyRecord Locked, DateTimeOffset At)
{
    /// <summary>
    /// Why a plan that would bind its device is refused under the lock; null when it binds nothing, or when the device
    /// is in the locked record at the same path with the same ids and takes the same route: through the TDISP
    /// sequence exactly when the lock recorded TDISP evidence for it. That evidence itself is known only once the
    /// sequence has read and verified it afresh, so the sequence compares it (<see cref="Pin"/>).
    /// </summary>
    public string? Refuses(BindPlan plan)
    {
        if (plan.Outcome != DeviceState.Bound || plan.IsEmpty) return null;
        var device = plan.Facts.Device;
        if (Locked.Find(device.Key) is not { } known)
            return $"{device.Key} is not in the topology locked at {At:O} ({Locked.Digest})";
        if (known.Path != device.Path) return $"{device.Key} moved from {known.Path} to {device.Path}";
        if (known.Ids != device.Ids) return $"{device.Key} changed identity from {known.Ids.Id ?? "-"} to {device.Ids.Id ?? "-"}";
        var tdisp = plan.Steps.Any(s => s is AcceptTdisp);
        if (tdisp && known.EvidenceDigest is null)
            return $"{device.Key} was locked without TDISP evidence; accepting it through TDISP would add evidence to its record";
        if (!tdisp && known.EvidenceDigest is { } evidence)
            return $"{device.Key} was locked with TDISP evidence {evidence}; it binds again only through the TDISP sequence";
        return null;
    }

    /// <summary>
    /// The plan with its TDISP steps bound to the evidence digest the lock recorded for the device: the sequence
    /// refuses, as a violation, verified evidence with any other digest (a device that came back with other firmware).
    /// </summary>
    public BindPlan Pin(BindPlan plan) => Locked.Find(plan.Facts.Device.Key)?.EvidenceDigest is { } digest
        ? plan with { Steps = [.. plan.Steps.Select(s => s is AcceptTdisp tdisp ? tdisp with { LockedEvidence = digest } : s)] }
        : plan;
}
