using System.Collections.Immutable;
using AcceptD.Core.Drivers;

namespace AcceptD.Core.Devices;

/// <summary>
/// Reads devices, buses and drivers through an <see cref="IFileView"/>: /sys/bus/* one level deep,
/// then each device's own attributes. Never walks sysfs recursively (it has loops).
/// </summary>
public sealed class InventoryReader(IFileView files, IReadOnlySet<string>? extraAttributes = null)
{
    private readonly IReadOnlySet<string> _extraAttributes = extraAttributes ?? ImmutableHashSet<string>.Empty;

    public Inventory Read()
    {
        var buses = ImmutableArray.CreateBuilder<BusInfo>();
        var devices = new List<Device>();
        var drivers = new List<RegisteredDriver>();
        foreach (var bus in files.List(SysfsLayout.Buses).Order(StringComparer.Ordinal))
        {
            buses.Add(new BusInfo(bus, ParseBool(files.Read(SysfsLayout.Autoprobe(bus)))));
            foreach (var name in files.List(SysfsLayout.BusDevices(bus)))
                if (ReadDevice(bus, name) is { } device) devices.Add(device);
            drivers.AddRange(ReadDrivers(bus));
        }
        var loaded = files.List(SysfsLayout.Modules).Select(ModuleName.Normalise).ToImmutableHashSet(StringComparer.Ordinal);
        return new Inventory(new DeviceTree(devices), buses.ToImmutable(), new DriverCatalog(drivers), loaded, TsmClass.GuestTsm(files));
    }

    /// <summary>
    /// The previous inventory with one device read afresh (added, replaced), the drivers of its bus, the module list and
    /// the guest TSM (one may register after the start) re-read: what one uevent needs, without rescanning every bus.
    /// </summary>
    public Inventory Refresh(Inventory previous, Device device)
    {
        var devices = previous.Tree.Devices.Where(d => d.Key != device.Key).Append(device);
        var drivers = previous.Drivers.Drivers.Where(d => d.Bus != device.Bus).Concat(ReadDrivers(device.Bus));
        var loaded = files.List(SysfsLayout.Modules).Select(ModuleName.Normalise).ToImmutableHashSet(StringComparer.Ordinal);
        return previous with
        {
            Tree = new DeviceTree(devices),
            Drivers = new DriverCatalog(drivers),
            LoadedModules = loaded,
            GuestTsm = TsmClass.GuestTsm(files),
        };
    }

    /// <summary>Reads one device afresh (events are hints: AcceptD re-reads before acting). Null if it is gone.</summary>
    public Device? ReadDevice(string bus, string name)
    {
        var link = files.ReadLink(SysfsLayout.BusDevice(bus, name));
        if (link is null || !link.StartsWith("/sys/devices/", StringComparison.Ordinal)) return null;
        var dir = link;
        var driverLink = files.ReadLink(SysfsLayout.DriverLink(dir));
        var overrideText = files.Read(SysfsLayout.DriverOverride(dir));
        var tdisp = files.Exists(SysfsLayout.TsmLock(dir));
        var lockedBy = tdisp ? files.Read(SysfsLayout.TsmLock(dir))?.Trim() : null;
        var attributes = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var attr in _extraAttributes)
            if (files.Read(dir + "/" + attr) is { } value) attributes[attr] = value;
        return new Device(
            Bus: bus,
            Name: name,
            Path: link[4..],
            Modalias: files.Read(dir + "/modalias"),
            Driver: driverLink is null ? null : LastSegment(driverLink),
            Ids: ReadIds(bus, dir),
            DriverOverride: overrideText is null or SysfsLayout.OverrideUnset or "" ? null : overrideText,
            HasDriverOverride: overrideText is not null,
            TdispCapable: tdisp,
            Attributes: attributes.ToImmutable(),
            TsmLockedBy: string.IsNullOrEmpty(lockedBy) ? null : lockedBy,
            TsmAccepted: tdisp && files.Read(SysfsLayout.TsmAccept(dir))?.Trim() == "1");
    }

    /// <summary>Finds a device from a uevent's DEVPATH ("/devices/...") and SUBSYSTEM.</summary>
    public Device? ReadDeviceAt(string bus, string devpath)
    {
        var name = LastSegment(devpath);
        var device = ReadDevice(bus, name);
        return device is not null && device.Path == devpath ? device : null;
    }

    private IEnumerable<RegisteredDriver> ReadDrivers(string bus)
    {
        foreach (var drv in files.List(SysfsLayout.BusDrivers(bus)))
        {
            var module = files.ReadLink(SysfsLayout.DriverModule(bus, drv));
            yield return new RegisteredDriver(bus, drv, module is null ? null : LastSegment(module),
                files.Exists(SysfsLayout.DriverBind(bus, drv)));
        }
    }

    private DeviceIds ReadIds(string bus, string dir) => bus switch
    {
        "pci" => new DeviceIds(
            Vendor: DeviceIds.NormaliseHex16(files.Read(dir + "/vendor")),
            Device: DeviceIds.NormaliseHex16(files.Read(dir + "/device")),
            SubVendor: DeviceIds.NormaliseHex16(files.Read(dir + "/subsystem_vendor")),
            SubDevice: DeviceIds.NormaliseHex16(files.Read(dir + "/subsystem_device")),
            Class: DeviceIds.ParseHex(files.Read(dir + "/class")),
            Revision: DeviceIds.NormaliseHex16(files.Read(dir + "/revision"))),
        "virtio" => new DeviceIds(
            Vendor: DeviceIds.NormaliseHex16(files.Read(dir + "/vendor")),
            Device: DeviceIds.NormaliseHex16(files.Read(dir + "/device"))),
        "usb" => ReadUsbIds(dir),
        _ => DeviceIds.None,
    };

    // USB interfaces ("1-1:1.0") carry their class; vendor/product live on the parent device.
    private DeviceIds ReadUsbIds(string dir)
    {
        var isInterface = files.Exists(dir + "/bInterfaceClass");
        var idDir = isInterface ? dir[..dir.LastIndexOf('/')] : dir;
        var prefix = isInterface ? "bInterface" : "bDevice";
        var cls = DeviceIds.ParseHex(files.Read($"{dir}/{prefix}Class"));
        var sub = DeviceIds.ParseHex(files.Read($"{dir}/{prefix}SubClass")) ?? 0;
        var proto = DeviceIds.ParseHex(files.Read($"{dir}/{prefix}Protocol")) ?? 0;
        return new DeviceIds(
            Vendor: DeviceIds.NormaliseHex16(files.Read(idDir + "/idVendor")),
            Device: DeviceIds.NormaliseHex16(files.Read(idDir + "/idProduct")),
            Class: cls is null ? null : (cls.Value << 16) | (sub << 8) | proto,
            Revision: DeviceIds.NormaliseHex16(files.Read(idDir + "/bcdDevice")));
    }

    private static bool? ParseBool(string? text) => text switch { "0" => false, "1" => true, _ => null };

    private static string LastSegment(string path) => path[(path.LastIndexOf('/') + 1)..];
}
