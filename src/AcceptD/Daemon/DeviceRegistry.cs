using System.Collections.Immutable;
using AcceptD.Core.State;
using AcceptD.Core.Topology;
using AcceptD.Os.State;

namespace AcceptD.Daemon;

/// <summary>
/// The gate's record per device and the uevent bookkeeping, persisted in the state store (so a restart or switch-root
/// resumes without writing anything again). Owned by the gate's worker; readers get <see cref="GateSnapshot"/>s.
/// </summary>
public sealed class DeviceRegistry
{
    private readonly StateStore _store;
    private PersistedState _state;

    public DeviceRegistry(StateStore store, string mode)
    {
        _store = store;
        _state = store.Load(out var problem) ?? PersistedState.Empty(mode);
        LoadProblem = problem;
        Records = _state.Devices.ToImmutableSortedDictionary(r => r.Key, r => r, StringComparer.Ordinal);
        TopologyLock = LockOf(_state);
    }

    public ImmutableSortedDictionary<string, DeviceRecord> Records { get; private set; }

    /// <summary>The state file could not be used, so the daemon started from sysfs; null when it loaded (or was absent).</summary>
    public string? LoadProblem { get; }

    /// <summary>Why the last save failed; null once a save works. The daemon keeps enforcing either way.</summary>
    public string? SaveProblem { get; private set; }

    public bool ColdplugComplete => _state.ColdplugComplete;

    public ulong LastSeqNum => _state.LastSeqNum;

    /// <summary>
    /// The topology lock: the devices bound when it was taken. Once locked, only they may be bound again, at the same
    /// path with the same ids and evidence; a lock saved without its devices lets nothing bind.
    /// </summary>
    public TopologyLock? TopologyLock { get; private set; }

    /// <summary>Locks the topology at the devices bound now.</summary>
    public TopologyLock Freeze(DateTimeOffset at)
    {
        var bound = Records.Values.Where(r => r.State == DeviceState.Bound).ToImmutableArray();
        _state = _state with { TopologyLocked = true, LockedAt = at, LockedDevices = bound };
        return TopologyLock = LockOf(_state)!;
    }

    private static TopologyLock? LockOf(PersistedState state) => state.TopologyLocked
        ? new TopologyLock(new TopologyRecord((state.LockedDevices ?? []).Select(TopologyEntry.From)), state.LockedAt ?? DateTimeOffset.UnixEpoch)
        : null;

    public DeviceRecord? Get(string key) => Records.GetValueOrDefault(key);

    public string? KeyAt(string devpath) => Records.Values.FirstOrDefault(r => r.Path == devpath)?.Key;

    public void Put(DeviceRecord record) => Records = Records.SetItem(record.Key, record);

    /// <summary>Forgets a device; returns its last record (null when it was not known).</summary>
    public DeviceRecord? Remove(string key)
    {
        if (!Records.TryGetValue(key, out var removed)) return null;
        Records = Records.Remove(key);
        return removed;
    }

    /// <summary>Forgets every device a full scan did not find; returns their last records.</summary>
    public IReadOnlyList<DeviceRecord> KeepOnly(IReadOnlySet<string> present)
    {
        var gone = Records.Values.Where(r => !present.Contains(r.Key)).ToList();
        Records = Records.RemoveRange(gone.Select(r => r.Key));
        return gone;
    }

    public void SeqNumHandled(ulong seqNum) => _state = _state with { LastSeqNum = seqNum };

    public void CompleteColdplug(ulong seqAtStart) =>
        _state = _state with { ColdplugComplete = true, LastSeqNum = Math.Max(_state.LastSeqNum, seqAtStart) };

    /// <summary>Saves the state; returns the error when it is new (once per distinct error, not on every uevent).</summary>
    public string? Save(string mode)
    {
        _state = _state with { Mode = mode, Devices = [.. Records.Values] };
        var error = _store.Save(_state);
        var isNew = error is not null && error != SaveProblem;
        SaveProblem = error;
        return isNew ? error : null;
    }
}
