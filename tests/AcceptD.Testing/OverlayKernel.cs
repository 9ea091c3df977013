using AcceptD.Core.Devices;
using AcceptD.Os.Modules;
using AcceptD.Os.Sysfs;

namespace AcceptD.Testing;

/// <summary>
/// The driver core's visible effects over a read-only host view (a snapshot), for comparing what the daemon writes
/// with what a dry-run plans: every bus starts with autoprobe on (as at boot), driver_override and autoprobe writes
/// read back, bind/drivers_probe/unbind move the device's driver link, and a module load registers the drivers the
/// test says it registers. Every write and load is logged in order. Calls may come from several threads (parallel
/// coldplug): each is whole under one lock.
/// </summary>
public sealed class OverlayKernel(IFileView host, IReadOnlyDictionary<string, (string Bus, string Driver)> registers)
    : IFileView, ISysfsWriter, IModuleLoader
{
    private readonly Dictionary<string, string> _files = [];
    private readonly Dictionary<string, string?> _links = [];
    private readonly HashSet<string> _drivers = [];
    private readonly Lock _lock = new();

    public List<string> Log { get; } = [];

    public IReadOnlyList<string> List(string path)
    {
        lock (_lock) return ListLocked(path);
    }

    public string? Read(string path)
    {
        lock (_lock) return ReadLocked(path);
    }

    public string? ReadLink(string path)
    {
        lock (_lock) return _links.TryGetValue(path, out var target) ? target : host.ReadLink(path);
    }

    public bool Exists(string path)
    {
        lock (_lock) return ExistsLocked(path);
    }

    public void Load(string module, string relativePath, string? parameters)
    {
        lock (_lock)
        {
            Log.Add($"load {module}");
            if (registers.TryGetValue(module, out var driver)) _drivers.Add(SysfsLayout.Driver(driver.Bus, driver.Driver));
        }
    }

    public void Write(string path, string value)
    {
        lock (_lock) WriteLocked(path, value);
    }

    private List<string> ListLocked(string path)
    {
        var names = host.List(path).ToList();
        if (path == SysfsLayout.Buses) return names;
        foreach (var driver in _drivers.Where(d => Parent(d) == path)) names.Add(SysfsLayout.LinkName(driver));
        return names.Distinct().ToList();
    }

    private string? ReadLocked(string path)
    {
        if (_files.TryGetValue(path, out var value)) return value;
        var text = host.Read(path);
        return text is not null && path.EndsWith("/drivers_autoprobe", StringComparison.Ordinal) ? "1" : text;
    }

    public byte[]? ReadBytes(string path) => host.ReadBytes(path); // module indexes: the host's, never written

    private bool ExistsLocked(string path) => _files.ContainsKey(path) || _drivers.Contains(path) || _drivers.Any(d => path == d + "/bind")
        || (_links.TryGetValue(path, out var target) ? target is not null : host.Exists(path));

    private void WriteLocked(string path, string value)
    {
        Log.Add($"{path} <- {value}");
        var parts = path.Split('/');
        if (path.EndsWith("/drivers_autoprobe", StringComparison.Ordinal) || path.EndsWith("/driver_override", StringComparison.Ordinal))
            _files[path] = value.Length == 0 ? SysfsLayout.OverrideUnset : value;
        else if (parts is ["", "sys", "bus", var bus, "drivers", var driver, "bind"])
            _links[DeviceDir(bus, value) + "/driver"] = SysfsLayout.Driver(bus, driver);
        else if (parts is ["", "sys", "bus", var bus2, "drivers_probe"])
            _links[DeviceDir(bus2, value) + "/driver"] = SysfsLayout.Driver(bus2, ReadLocked(DeviceDir(bus2, value) + "/driver_override")!);
        else if (parts is ["", "sys", "bus", var bus3, "drivers", _, "unbind"])
            _links[DeviceDir(bus3, value) + "/driver"] = null;
        else throw new SysfsWriteException(path, Errno.EACCES, "Permission denied");
    }

    private string DeviceDir(string bus, string name) =>
        host.ReadLink(SysfsLayout.BusDevice(bus, name)) ?? throw new SysfsWriteException(name, Errno.ENODEV, "No such device");

    private static string Parent(string path) => path[..path.LastIndexOf('/')];
}
