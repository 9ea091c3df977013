using System.Collections.Immutable;
using AcceptD.Core.Drivers;

namespace AcceptD.Core.Devices;

/// <summary>A bus and its autoprobe setting (null when unreadable).</summary>
public sealed record BusInfo(string Name, bool? Autoprobe);

/// <summary>Everything one look at sysfs gave: devices, buses, registered drivers and modules present (/sys/module).</summary>
public sealed record Inventory(DeviceTree Tree, ImmutableArray<BusInfo> Buses, DriverCatalog Drivers, ImmutableHashSet<string> LoadedModules)
{
    public static readonly Inventory Empty = new(DeviceTree.Empty, [], DriverCatalog.Empty, []);
}
