using System.Collections.Immutable;
using AcceptD.Core.State;
using AcceptD.Core.Topology;
using AcceptD.Os.State;

namespace AcceptD.Daemon;

/// <summary>
/// The gate's record per device and the uevent bookkeeping, persisted in the state store (so a restart or switch-root
/// resumes without writing anything again). The saved state is trusted only as far as <see cref="StateRecovery"/>
/// checked it against the kernel and the early shim's prebound record. Owned by the gate's worker; readers get
/// <see cref="GateSnapshot"/>s.
/// </summary>
public sealed class DeviceRegistry
{
    private readonly StateStore _store;
    private PersistedState _state;
    private bool _unsaved;

    public DeviceRegistry(StateStore store, RecoveredState recovered)
    {
        _store = store;
        _state = recovered.State;
        Prebound = recovered.Prebound;
        RecoveryWarnings = recovered.Warnings;
        Records = _state.Devices.ToImmutableSortedDictionary(r => r.Key, r => r, StringComparer.Ordinal);
        TopologyLock = LockOf(_state);
    }

    public ImmutableSortedDictionary<string, DeviceRecord> Records { get; private set; }

    /// <summary>What bound before the first AcceptD instance of this boot: only these bindings count as pre-bound.</summary>
    public PreboundRecord Prebound { get; }

    /// <summary>What the start found wrong with the saved state or the prebound record (discarded, with why).</summary>
    public IReadOnlyList<string> RecoveryWarnings { get; }

    /// <summary>Why the last save failed; null once a save works. The daemon keeps enforcing either way.</summary>
    public string? SaveProblem { get; private set; }

    public bool ColdplugComplete => _state.ColdplugComplete;

    /// <summary>Whether the decisions restored at start are in the journal already (false after an initrd without journald).</summary>
    public bool DecisionsInJournal => _state.DecisionsInJournal ?? true;

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
        (_state, _unsaved) = (_state with { TopologyLocked = true, LockedAt = at, LockedDevices = bound }, true);
        return TopologyLock = LockOf(_state)!;
    }

    private static TopologyLock? LockOf(PersistedState state) => state.TopologyLocked
        ? new TopologyLock(new TopologyRecord((state.LockedDevices ?? []).Select(TopologyEntry.From)), state.LockedAt ?? DateTimeOffset.UnixEpoch)
        : null;

    public DeviceRecord? Get(string key) => Records.GetValueOrDefault(key);

    public string? KeyAt(string devpath) => Records.Values.FirstOrDefault(r => r.Path == devpath)?.Key;

    public void Put(DeviceRecord record) => (Records, _unsaved) = (Records.SetItem(record.Key, record), true);

    /// <summary>Forgets a device; returns its last record (null when it was not known).</summary>
    public DeviceRecord? Remove(string key)
    {
        if (!Records.TryGetValue(key, out var removed)) return null;
        (Records, _unsaved) = (Records.Remove(key), true);
        return removed;
    }

    /// <summary>Forgets every device a full scan did not find; returns their last records.</summary>
    public IReadOnlyList<DeviceRecord> KeepOnly(IReadOnlySet<string> present)
    {
        var gone = Records.Values.Where(r => !present.Contains(r.Key)).ToList();
        if (gone.Count > 0) (Records, _unsaved) = (Records.RemoveRange(gone.Select(r => r.Key)), true);
        return gone;
    }

    /// <summary>Not worth a write by itself: a new instance starts at the kernel's SEQNUM anyway.</summary>
    public void SeqNumHandled(ulong seqNum) => _state = _state with { LastSeqNum = seqNum };

    /// <summary>A uevent dropped, lost or skipped, by reason: written with the next save.</summary>
    public void Count(UeventCounter counter) => (_state, _unsaved) = (_state.Count(counter), true);

    public void CompleteColdplug(ulong seqAtStart) =>
        (_state, _unsaved) = (_state with { ColdplugComplete = true, LastSeqNum = Math.Max(_state.LastSeqNum, seqAtStart) }, true);

    /// <summary>Saves when anything changed since the last save (<paramref name="always"/>: regardless); returns a save error when it is new.</summary>
    public string? Save(string mode, bool always = false)
    {
        if (!_unsaved && !always) return null;
        _unsaved = false;
        _state = _state with { Mode = mode, Devices = [.. Records.Values] };
        var error = _store.Save(_state);
        var isNew = error is not null && error != SaveProblem;
        SaveProblem = error;
        return isNew ? error : null;
    }

    /// <summary>Records whether this instance's decisions reach the journal (saved with the next save).</summary>
    public void DecisionsLogged(bool inJournal) => (_state, _unsaved) = (_state with { DecisionsInJournal = inJournal }, true);

    public int BoundCount => Records.Values.Count(r => r.State == DeviceState.Bound);

    /// <summary>"3 bound, 2 denied", by state.</summary>
    public string Summary() => string.Join(", ", Records.Values.GroupBy(r => r.State).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.Name()}"));
}
