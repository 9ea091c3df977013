using System.Collections.Immutable;
using AcceptD.Core.Drivers;

namespace AcceptD.Core.Devices;

/// <summary>A bus and its autoprobe setting (null when unreadable).</summary>
public sealed record BusInfo(string Name, bool? Autoprobe);

/// <summary>
/// Everything one look at sysfs gave: devices, buses, registered drivers, modules present (/sys/module) and the guest
/// TSM that TDISP devices are locked with (<see cref="TsmClass.GuestTsm"/>; null when there is none).
/// </summary>
public sealed record Inventory(DeviceTree Tree, ImmutableArray<BusInfo> Buses, DriverCatalog Drivers, ImmutableHashSet<string> LoadedModules,
    string? GuestTsm = null)
{
    public static readonly Inventory Empty = new(DeviceTree.Empty, [], DriverCatalog.Empty, []);
}
