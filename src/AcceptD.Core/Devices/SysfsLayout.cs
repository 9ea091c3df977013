namespace AcceptD.Core.Devices;

/// <summary>
/// The sysfs file names AcceptD reads and writes, in one place: the inventory reader, the plan descriptions, the
/// executor, the autoprobe guard and the TSM adapter all name files through here, so a description can never name a
/// different file than the one written (kernel-interfaces.md §1–§4).
/// </summary>
public static class SysfsLayout
{
    public const string Buses = "/sys/bus";
    public const string Modules = "/sys/module";
    public const string TsmClass = "/sys/class/tsm";
    public const string UeventSeqnum = "/sys/kernel/uevent_seqnum";

    /// <summary>procfs, read with the sysfs files (and kept in snapshots): the kernel release and command line.</summary>
    public const string OsRelease = "/proc/sys/kernel/osrelease", CommandLine = "/proc/cmdline";

    /// <summary>"(null)" is what driver_override reads when it is unset.</summary>
    public const string OverrideUnset = "(null)";

    public static string Bus(string bus) => $"{Buses}/{bus}";

    public static string BusDevices(string bus) => $"{Buses}/{bus}/devices";

    public static string BusDevice(string bus, string name) => $"{Buses}/{bus}/devices/{name}";

    public static string BusDrivers(string bus) => $"{Buses}/{bus}/drivers";

    public static string Driver(string bus, string driver) => $"{Buses}/{bus}/drivers/{driver}";

    public static string DriverBind(string bus, string driver) => $"{Driver(bus, driver)}/bind";

    public static string DriverUnbind(string bus, string driver) => $"{Driver(bus, driver)}/unbind";

    public static string DriverModule(string bus, string driver) => $"{Driver(bus, driver)}/module";

    /// <summary>Probes a device against driver_override (for drivers with suppress_bind_attrs, which have no bind file).</summary>
    public static string DriversProbe(string bus) => $"{Buses}/{bus}/drivers_probe";

    public static string Autoprobe(string bus) => $"{Buses}/{bus}/drivers_autoprobe";

    public static string ModuleDrivers(string module) => $"{Modules}/{module}/drivers";

    public static string DriverOverride(Device device) => DriverOverride(device.SysPath);

    public static string DriverOverride(string deviceDir) => deviceDir + "/driver_override";

    public static string DriverLink(Device device) => DriverLink(device.SysPath);

    public static string DriverLink(string deviceDir) => deviceDir + "/driver";

    public static string TsmLock(Device device) => TsmLock(device.SysPath);

    public static string TsmLock(string deviceDir) => deviceDir + "/tsm/lock";

    public static string TsmAccept(Device device) => TsmAccept(device.SysPath);

    public static string TsmAccept(string deviceDir) => deviceDir + "/tsm/accept";

    public static string TsmUnlock(Device device) => TsmUnlock(device.SysPath);

    public static string TsmUnlock(string deviceDir) => deviceDir + "/tsm/unlock";

    public static string TsmPciMode(string tsm) => $"{TsmClass}/{tsm}/pci_mode";

    /// <summary>The last path segment of a link target: the driver's or module's name.</summary>
    public static string LinkName(string link) => link[(link.LastIndexOf('/') + 1)..];
}
