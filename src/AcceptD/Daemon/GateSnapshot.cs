using System.Collections.Immutable;
using AcceptD.Core.Matching;
using AcceptD.Core.State;
using AcceptD.Core.Topology;
using AcceptD.Daemon.Control;

namespace AcceptD.Daemon;

/// <summary>
/// One consistent, immutable view of the gate, published after every change. Readers (D-Bus, sd_notify STATUS=) use
/// it without a lock, so a read never waits behind a module load, a bind or a TDISP exchange in progress.
/// </summary>
public sealed class GateSnapshot(
    ImmutableSortedDictionary<string, DeviceRecord> records, bool coldplugComplete, bool topologyLocked, ulong lastSeqNum,
    ImmutableArray<string> policyFiles)
{
    private TopologyRecord? _topology; // built on first use; every reader builds the same one

    public static readonly GateSnapshot Empty = new(ImmutableSortedDictionary<string, DeviceRecord>.Empty.WithComparers(StringComparer.Ordinal),
        false, false, 0, []);

    public ImmutableSortedDictionary<string, DeviceRecord> Records { get; } = records;

    public bool ColdplugComplete { get; } = coldplugComplete;

    public bool TopologyLocked { get; } = topologyLocked;

    public ulong LastSeqNum { get; } = lastSeqNum;

    public ImmutableArray<string> PolicyFiles { get; } = policyFiles;

    /// <summary>Every bound device: the record the topology lock and the measured log commit to.</summary>
    public TopologyRecord Topology => _topology ??= TopologyOf(Records.Values);

    public static TopologyRecord TopologyOf(IEnumerable<DeviceRecord> records) =>
        new(records.Where(r => r.State == DeviceState.Bound).Select(TopologyEntry.From));

    public bool HasPending => Records.Values.Any(r => r.State == DeviceState.Pending);

    public GateStatus Status(GateSettings settings) => new(BuildInfo.Version, settings.ModeName, settings.DryRun, TopologyLocked,
        Topology.Digest, PolicyFiles, Records.Values.GroupBy(r => r.State).ToImmutableDictionary(g => g.Key, g => g.Count()), ColdplugComplete);

    /// <summary>Devices whose key, name, state or verdict matches the glob (all when it is null or empty), by key.</summary>
    public IReadOnlyList<DeviceRecord> Devices(string? filter)
    {
        var glob = string.IsNullOrEmpty(filter) ? null : Glob.Compile(filter);
        return [.. Records.Values.Where(r => glob is null || glob.IsMatch(r.Key) || glob.IsMatch(r.Name) || glob.IsMatch(r.State.Name())
            || (r.Verdict is { } v && glob.IsMatch(v)))];
    }

    /// <summary>By key, by name or by sysfs path; null when unknown or when a name is ambiguous.</summary>
    public DeviceRecord? Find(string device)
    {
        if (Records.TryGetValue(device, out var byKey)) return byKey;
        var path = device.StartsWith("/sys/", StringComparison.Ordinal) ? device[4..] : device;
        var matches = Records.Values.Where(r => r.Name == device || r.Path == path).Take(2).ToList();
        return matches.Count == 1 ? matches[0] : null;
    }
}
