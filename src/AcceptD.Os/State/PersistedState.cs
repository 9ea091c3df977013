using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using AcceptD.Core.State;

namespace AcceptD.Os.State;

/// <summary>
/// What survives a daemon restart and switch-root (kept in /run/acceptd/state.json): every device's record,
/// the last uevent sequence number handled, the topology lock, driver names learned, and operator verdicts
/// given with `acceptd accept|deny` (one-time ones, keyed by device), the bound devices the lock froze, and how many
/// uevents were dropped, lost or skipped, by reason (see <see cref="UeventCounter"/>). DecisionsInJournal false: the
/// instance that saved it logged to stderr only (an initramfs-tools initrd has no journald), so its decisions are not
/// in the journal yet; null (an older file) counts as true.
/// </summary>
public sealed record PersistedState(
    int Version,
    string Mode,
    bool ColdplugComplete,
    bool TopologyLocked,
    ulong LastSeqNum,
    ImmutableArray<DeviceRecord> Devices,
    ImmutableSortedDictionary<string, string> LearnedDrivers,
    ImmutableSortedDictionary<string, string> OperatorVerdicts,
    ImmutableSortedDictionary<string, ulong>? UeventCounters = null,
    DateTimeOffset? LockedAt = null,
    ImmutableArray<DeviceRecord>? LockedDevices = null,
    bool? DecisionsInJournal = null)
{
    public const int CurrentVersion = 1;

    public static PersistedState Empty(string mode) => new(CurrentVersion, mode, false, false, 0, [],
        ImmutableSortedDictionary<string, string>.Empty, ImmutableSortedDictionary<string, string>.Empty);

    public PersistedState Count(UeventCounter counter)
    {
        var counters = UeventCounters ?? ImmutableSortedDictionary<string, ulong>.Empty;
        var name = counter.Name();
        return this with { UeventCounters = counters.SetItem(name, counters.GetValueOrDefault(name) + 1) };
    }
}

internal sealed class DeviceStateJsonConverter() : JsonStringEnumConverter<DeviceState>(JsonNamingPolicy.CamelCase);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, Converters = [typeof(DeviceStateJsonConverter)])]
[JsonSerializable(typeof(PersistedState))]
public sealed partial class StateJson : JsonSerializerContext;
