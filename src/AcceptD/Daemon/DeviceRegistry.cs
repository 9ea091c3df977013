using System.Collections.Immutable;
using AcceptD.Core.State;
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

    /// <exception cref="InvalidDataException">The saved state is corrupt (the message names the file).</exception>
    public DeviceRegistry(StateStore store, string mode)
    {
        _store = store;
        _state = store.Load() ?? PersistedState.Empty(mode);
        Records = _state.Devices.ToImmutableSortedDictionary(r => r.Key, r => r, StringComparer.Ordinal);
    }

    public ImmutableSortedDictionary<string, DeviceRecord> Records { get; private set; }

    public bool ColdplugComplete => _state.ColdplugComplete;

    public ulong LastSeqNum => _state.LastSeqNum;

    /// <summary>The lock as saved: the topology ledger starts from it.</summary>
    public bool SavedTopologyLock => _state.TopologyLocked;

    public DeviceRecord? Get(string key) => Records.GetValueOrDefault(key);

    public string? KeyAt(string devpath) => Records.Values.FirstOrDefault(r => r.Path == devpath)?.Key;

    public void Put(DeviceRecord record) => Records = Records.SetItem(record.Key, record);

    public bool Remove(string key)
    {
        var before = Records.Count;
        Records = Records.Remove(key);
        return Records.Count != before;
    }

    /// <summary>Forgets every device a full scan did not find.</summary>
    public void KeepOnly(IReadOnlySet<string> present) => Records = Records.RemoveRange(Records.Keys.Where(k => !present.Contains(k)));

    public void SeqNumHandled(ulong seqNum) => _state = _state with { LastSeqNum = seqNum };

    public void CompleteColdplug(ulong seqAtStart) =>
        _state = _state with { ColdplugComplete = true, LastSeqNum = Math.Max(_state.LastSeqNum, seqAtStart) };

    public void Save(string mode, bool topologyLocked)
    {
        _state = _state with { Mode = mode, TopologyLocked = topologyLocked, Devices = [.. Records.Values] };
        _store.Save(_state);
    }
}
