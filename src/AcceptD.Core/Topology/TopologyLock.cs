namespace AcceptD.Core.Topology;

/// <summary>
/// A topology frozen by `acceptd lock`: from then on only devices of the locked record, with the same identity and
/// evidence, may be accepted; anything else is a violation.
/// </summary>
public sealed record TopologyLock(TopologyRecord Locked, DateTimeOffset At)
{
    /// <summary>
    /// Why a plan that would bind its device is refused under the lock (null when it binds nothing, or when the device
    /// is in the locked record at the same path with the same ids). The evidence is compared after it is read.
    /// </summary>
    public string? Refuses(Planning.BindPlan plan)
    {
        if (plan.Outcome != State.DeviceState.Bound || plan.IsEmpty) return null;
        var device = plan.Facts.Device;
        return Check(TopologyEntry.From(device, Locked.Find(device.Key)?.EvidenceDigest));
    }

    /// <summary>Null when <paramref name="candidate"/> may be accepted, else the violation.</summary>
    public string? Check(TopologyEntry candidate)
    {
        if (Locked.Find(candidate.Key) is not { } known)
            return $"{candidate.Key} is not in the topology locked at {At:O} ({Locked.Digest})";
        if (known.Path != candidate.Path) return $"{candidate.Key} moved from {known.Path} to {candidate.Path}";
        if (known.Ids != candidate.Ids) return $"{candidate.Key} changed identity from {known.Ids.Id ?? "-"} to {candidate.Ids.Id ?? "-"}";
        if (known.EvidenceDigest != candidate.EvidenceDigest)
            return $"{candidate.Key} evidence changed from {known.EvidenceDigest ?? "-"} to {candidate.EvidenceDigest ?? "-"}";
        return null;
    }
}
