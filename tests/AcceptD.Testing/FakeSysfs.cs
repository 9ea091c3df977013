using AcceptD.Os.Sysfs;

namespace AcceptD.Testing;

/// <summary>
/// A sysfs-shaped directory tree in a temp dir (real files and real symlinks, laid out as the kernel does:
/// /sys/bus/&lt;bus&gt;/devices/&lt;name&gt; → ../../../devices/..., driver links, drivers/&lt;drv&gt;/module),
/// plus /lib/modules and /proc files. It only stores state; it does not act like the kernel on writes.
/// </summary>
public sealed class FakeSysfs : IDisposable
{
    private FakeSysfs(string root)
    {
        Root = root;
        View = new DirectoryFileView(root);
    }

    public string Root { get; }

    public DirectoryFileView View { get; }

    public static FakeSysfs Create(string release = "6.1.0-test")
    {
        var root = Directory.CreateTempSubdirectory("acceptd-sysfs-").FullName;
        var fake = new FakeSysfs(root);
        fake.WriteFile("/proc/sys/kernel/osrelease", release + "\n");
        fake.WriteFile("/proc/cmdline", "console=ttyS0\n");
        Directory.CreateDirectory(root + "/sys/devices");
        Directory.CreateDirectory(root + $"/lib/modules/{release}");
        return fake;
    }

    public string Release => File.ReadAllText(Root + "/proc/sys/kernel/osrelease").Trim();

    public void AddBus(string bus, bool autoprobe = true)
    {
        var dir = $"/sys/bus/{bus}";
        if (Directory.Exists(Root + dir)) return;
        Directory.CreateDirectory(Root + dir + "/devices");
        Directory.CreateDirectory(Root + dir + "/drivers");
        WriteFile(dir + "/drivers_autoprobe", autoprobe ? "1\n" : "0\n");
        WriteFile(dir + "/drivers_probe", "");
    }

    /// <summary>Adds a device directory at path (e.g. "/devices/pci0000:00/0000:00:03.0") with attributes.</summary>
    public void AddDevice(string bus, string name, string path, IReadOnlyDictionary<string, string> attributes, string? driver = null)
    {
        AddBus(bus);
        var dir = "/sys" + path;
        Directory.CreateDirectory(Root + dir);
        foreach (var (attr, value) in attributes) WriteFile(dir + "/" + attr, value + "\n");
        WriteFile(dir + "/uevent", "");
        File.CreateSymbolicLink(Root + $"/sys/bus/{bus}/devices/{name}", Relative($"/sys/bus/{bus}/devices", dir));
        if (driver is not null) Bind(bus, name, driver);
    }

    public string AddPciDevice(string name, string vendor, string device, string cls, string? driver = null,
        string subVendor = "0x1af4", string subDevice = "0x0001", string parentPath = "/devices/pci0000:00", bool tdisp = false)
    {
        var path = $"{parentPath}/{name}";
        var classCode = Convert.ToUInt32(cls, 16);
        var modalias = $"pci:v{Hex8(vendor)}d{Hex8(device)}sv{Hex8(subVendor)}sd{Hex8(subDevice)}" +
                       $"bc{classCode >> 16:X2}sc{(classCode >> 8) & 0xff:X2}i{classCode & 0xff:X2}";
        AddDevice("pci", name, path, new Dictionary<string, string>
        {
            ["vendor"] = vendor,
            ["device"] = device,
            ["subsystem_vendor"] = subVendor,
            ["subsystem_device"] = subDevice,
            ["class"] = cls,
            ["revision"] = "0x00",
            ["modalias"] = modalias,
            ["driver_override"] = "(null)",
        }, driver);
        if (tdisp)
        {
            WriteFile($"/sys{path}/tsm/lock", "\n");
            WriteFile($"/sys{path}/tsm/accept", "0\n");
            WriteFile($"/sys{path}/tsm/unlock", "");
        }
        return path;
    }

    /// <summary>Adds virtioN below a PCI transport device, as virtio-pci creates it.</summary>
    public string AddVirtioDevice(string name, string pciPath, int deviceType, string? driver = null)
    {
        var path = $"{pciPath}/{name}";
        AddDevice("virtio", name, path, new Dictionary<string, string>
        {
            ["vendor"] = "0x00001af4",
            ["device"] = $"0x{deviceType:x4}",
            ["modalias"] = $"virtio:d{deviceType:X8}v00001AF4",
        }, driver);
        return path;
    }

    /// <summary>Registers a driver on a bus; module null means built in without a module link.</summary>
    public void AddDriver(string bus, string driver, string? module)
    {
        AddBus(bus);
        var dir = $"/sys/bus/{bus}/drivers/{driver}";
        Directory.CreateDirectory(Root + dir);
        WriteFile(dir + "/bind", "");
        WriteFile(dir + "/unbind", "");
        if (module is null) return;
        Directory.CreateDirectory(Root + $"/sys/module/{module}/drivers");
        File.CreateSymbolicLink(Root + dir + "/module", Relative(dir, $"/sys/module/{module}"));
        var back = Root + $"/sys/module/{module}/drivers/{bus}:{driver}";
        if (!Path.Exists(back)) File.CreateSymbolicLink(back, Relative($"/sys/module/{module}/drivers", dir));
    }

    public void Bind(string bus, string name, string driver)
    {
        if (!Directory.Exists(Root + $"/sys/bus/{bus}/drivers/{driver}")) AddDriver(bus, driver, null);
        var dir = DeviceDir(bus, name);
        File.CreateSymbolicLink(Root + dir + "/driver", Relative(dir, $"/sys/bus/{bus}/drivers/{driver}"));
        File.CreateSymbolicLink(Root + $"/sys/bus/{bus}/drivers/{driver}/{name}", Relative($"/sys/bus/{bus}/drivers/{driver}", dir));
    }

    public void Unbind(string bus, string name)
    {
        var dir = DeviceDir(bus, name);
        var link = new FileInfo(Root + dir + "/driver");
        if (link.LinkTarget is null) return;
        var driver = Path.GetFileName(link.LinkTarget);
        link.Delete();
        File.Delete(Root + $"/sys/bus/{bus}/drivers/{driver}/{name}");
    }

    public void Remove(string bus, string name)
    {
        var dir = DeviceDir(bus, name);
        Unbind(bus, name);
        File.Delete(Root + $"/sys/bus/{bus}/devices/{name}");
        Directory.Delete(Root + dir, recursive: true);
    }

    /// <summary>The canonical device directory below the root ("/sys/devices/...").</summary>
    public string DeviceDir(string bus, string name) =>
        View.ReadLink($"/sys/bus/{bus}/devices/{name}") ?? throw new InvalidOperationException($"no device {bus}/{name}");

    public void WriteModulesFile(string file, string text) => WriteFile($"/lib/modules/{Release}/{file}", text);

    public void WriteFile(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Root + path)!);
        File.WriteAllText(Root + path, text);
    }

    public string? ReadFile(string path) => File.Exists(Root + path) ? File.ReadAllText(Root + path) : null;

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }

    private static string Hex8(string hex) => Convert.ToUInt32(hex, 16).ToString("X8");

    private static string Relative(string fromDir, string to) => Path.GetRelativePath(fromDir, to);
}
