using System.Collections.Immutable;
using AcceptD.Core.State;

namespace AcceptD.Os.State;

/// <summary>The state a new daemon instance starts from, and what was discarded from the file on the way.</summary>
public sealed record ValidatedState(PersistedState State, IReadOnlyList<string> Warnings);

/// <summary>
/// state.json is trusted only as far as the kernel and the early shim's record confirm it (pure; the daemon calls it
/// when it loads the file). A lastSeqNum above the kernel's uevent_seqnum would make every later uevent look old and
/// be skipped; a boundBeforeStart flag that the prebound record does not back would leave a denied device bound
/// under prebound-denied = report. Both are discarded with a warning. The coldplug flag always starts false: it
/// says whether this instance has decided every present device, which a new instance has not yet done.
/// </summary>
public static class PersistedStateValidator
{
    public static ValidatedState Validate(PersistedState loaded, PreboundRecord prebound, ulong kernelSeqNum)
    {
        var warnings = new List<string>();
        var seq = loaded.LastSeqNum;
        if (seq > kernelSeqNum)
        {
            warnings.Add($"state: lastSeqNum {seq} is above the kernel's uevent_seqnum {kernelSeqNum}; discarded");
            seq = 0;
        }
        var devices = loaded.Devices.Select(record =>
        {
            if (!record.BoundBeforeStart || (record.Driver is { } driver && prebound.Contains(record.Key, driver))) return record;
            warnings.Add($"state: {record.Key} is marked bound before start, but the prebound record does not list it " +
                $"bound to {record.Driver ?? "a driver"}; flag discarded");
            return record with { BoundBeforeStart = false };
        }).ToImmutableArray();
        return new ValidatedState(loaded with { LastSeqNum = seq, Devices = devices, ColdplugComplete = false }, warnings);
    }
}
