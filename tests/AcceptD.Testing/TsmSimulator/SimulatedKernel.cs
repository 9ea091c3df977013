using AcceptD.Core.Devices;
using AcceptD.Os.Sysfs;
using AcceptD.Os.Tsm;

namespace AcceptD.Testing.TsmSimulator;

/// <summary>
/// A simulated guest kernel following the documented TDISP ABI (kernel-interfaces.md §4.3–4.5), errors included.
/// It keeps a real sysfs tree in a temp directory (read by <see cref="DirectoryFileView"/>), applies our sysfs writes
/// (<see cref="ISysfsWriter"/>) and answers evidence netlink requests of either proposed family (<see cref="IGenlTransport"/>).
/// Tests steer it with hooks: <see cref="AfterOperation"/>, <see cref="CrashAfter"/>, disturbances of evidence reads.
/// </summary>
public sealed partial class SimulatedKernel : ISysfsWriter, IGenlTransport, IDisposable
{
    private readonly Dictionary<string, SimulatedDevice> _devices = [];
    private readonly Dictionary<string, (bool OverrideOnly, string Trust)> _drivers = [];
    private int _operations;

    public SimulatedKernel()
    {
        Root = Directory.CreateTempSubdirectory("acceptd-tsm-").FullName;
        Files = new DirectoryFileView(Root);
        AddTsm("tsm0", "link");
        AddTsm("tsm1", "devsec");
    }

    public string Root { get; }
    public DirectoryFileView Files { get; }

    /// <summary>Every operation applied (sysfs writes and netlink requests), in order, with the device state after it.</summary>
    public List<string> Log { get; } = [];

    /// <summary>Called after each applied operation with its number (1-based) and description.</summary>
    public Action<int, string>? AfterOperation { get; set; }

    /// <summary>Throw <see cref="SimulatedCrash"/> right after this operation number was applied.</summary>
    public int? CrashAfter { get; set; }

    public int Operations => _operations;

    /// <summary>Errors the TSM driver itself returns for writes to a device file (e.g. "tsm/lock" → ENXIO from ops->lock).</summary>
    public Dictionary<string, int> TsmRefusals { get; } = [];

    public SimulatedDevice this[string bdf] => _devices[bdf];

    public void AddTsm(string name, string mode)
    {
        Directory.CreateDirectory(Host($"/sys/class/tsm/{name}"));
        File.WriteAllText(Host($"/sys/class/tsm/{name}/pci_mode"), mode + "\n");
    }

    /// <summary>
    /// A driver on the pci bus; override-only ones bind only through driver_override (like devsec_pci, vfio).
    /// <paramref name="trust"/> is its module's trust= level (§4.6): "adversary" may bind an unlocked TDISP device.
    /// </summary>
    public void AddDriver(string name, bool overrideOnly = false, string trust = "auto")
    {
        _drivers[name] = (overrideOnly, trust);
        Directory.CreateDirectory(Host($"/sys/bus/pci/drivers/{name}"));
        File.WriteAllText(Host($"/sys/bus/pci/drivers/{name}/bind"), "");
        File.WriteAllText(Host($"/sys/bus/pci/drivers/{name}/unbind"), "");
    }

    public SimulatedDevice AddDevice(string bdf, TestDeviceEvidence evidence)
    {
        var device = new SimulatedDevice(bdf, evidence);
        _devices[bdf] = device;
        var dir = Host(device.Path);
        Directory.CreateDirectory(dir + "/tsm");
        File.WriteAllText(dir + "/vendor", "0x8086\n");
        File.WriteAllText(dir + "/device", "0xffff\n");
        File.WriteAllText(dir + "/class", "0x120000\n");
        File.WriteAllText(dir + "/modalias", "pci:v00008086d0000FFFFsv00008086sd0000FFFFbc12sc00i00\n");
        Directory.CreateDirectory(Host("/sys/bus/pci/devices"));
        File.CreateSymbolicLink(Host("/sys/bus/pci/devices/" + bdf), "../../../devices/pci0000:00/" + bdf);
        Sync(device);
        return device;
    }

    /// <summary>How AcceptD's inventory would see the device (read through the sysfs tree).</summary>
    public Device Device(string bdf) =>
        new InventoryReader(Files).ReadDevice("pci", bdf) ?? throw new InvalidOperationException($"{bdf} not present");

    /// <summary>Hot-unplug: the directory and bus link vanish; writes to its files fail with ENOENT.</summary>
    public void Remove(string bdf)
    {
        var device = _devices[bdf];
        device.Present = false;
        Directory.Delete(Host(device.Path), recursive: true);
        File.Delete(Host("/sys/bus/pci/devices/" + bdf));
    }

    /// <summary>A driver bound by something other than AcceptD (a racing probe, a root shell).</summary>
    public void BindBehindOurBack(string bdf, string driver)
    {
        _devices[bdf].Driver = driver;
        Sync(_devices[bdf]);
    }

    /// <summary>A security-relevant config change: while locked the TDI enters ERROR; the evidence changes.</summary>
    public void ChangeConfig(string bdf)
    {
        var device = _devices[bdf];
        if (device.LockedBy is not null) device.Error = true;
        device.Generation++;
    }

    /// <summary>Mirrors the state into the sysfs files, as the kernel's show() functions would.</summary>
    private void Sync(SimulatedDevice device)
    {
        if (!device.Present) return;
        var dir = Host(device.Path);
        File.WriteAllText(dir + "/driver_override", (device.Override ?? "(null)") + "\n");
        File.WriteAllText(dir + "/tsm/lock", (device.LockedBy ?? "") + "\n");
        File.WriteAllText(dir + "/tsm/accept", (device.Accepted ? "1" : "0") + "\n");
        File.WriteAllText(dir + "/tsm/unlock", "");
        var link = dir + "/driver";
        if (File.Exists(link) || new FileInfo(link).LinkTarget is not null) File.Delete(link);
        if (device.Driver is { } driver) File.CreateSymbolicLink(link, "../../../bus/pci/drivers/" + driver);
    }

    private void Applied(string what)
    {
        var n = ++_operations;
        Log.Add(what);
        AfterOperation?.Invoke(n, what);
        if (CrashAfter == n) throw new SimulatedCrash(n);
    }

    private string Host(string path) => Root + path;

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
