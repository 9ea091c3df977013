using AcceptD.Core.Devices;

namespace AcceptD.Core.State;

/// <summary>
/// What AcceptD knows and did about one device: the row shown by `acceptd list`, exported over D-Bus
/// and persisted under /run/acceptd. Verdict is "allow"/"deny"/"ignore"/"tdisp" or null before a decision.
/// </summary>
public sealed record DeviceRecord(
    string Key,
    string Bus,
    string Name,
    string Path,
    string? Modalias,
    DeviceIds Ids,
    string? Driver,
    DeviceState State,
    string? Verdict,
    string? Rule,
    string? Reason,
    string? PlannedDriver,
    bool BoundBeforeStart,
    DateTimeOffset FirstSeen,
    DateTimeOffset Changed,
    string? Error = null,
    string? TdispState = null,
    string? EvidenceDigest = null);
