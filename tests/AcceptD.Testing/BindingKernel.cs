using AcceptD.Core.Matching;
using AcceptD.Os.Modules;
using AcceptD.Os.Sysfs;

namespace AcceptD.Testing;

/// <summary>
/// The driver core's binding rules over a <see cref="FakeSysfs"/> tree, for fast daemon tests (the real kernel is
/// tested in QEMU): driver_override, bind/unbind/drivers_probe with their errno, autoprobe files, and module loads
/// that register drivers (and may create a bus that starts with autoprobe on). A driver registering on a bus whose
/// drivers_autoprobe is 1 binds every unbound device it matches, as driver_attach() does. Every write is logged.
/// Calls may come from several threads (parallel coldplug): each is one step under one lock, as the driver core's
/// locks make each bind and each module registration whole.
/// </summary>
public sealed class BindingKernel(FakeSysfs tree) : ISysfsWriter, IModuleLoader
{
    private readonly Dictionary<string, (string Bus, string Driver, string MatchGlob, string? CreatesBus)> _modules = new();
    private readonly Lock _lock = new();

    public List<string> Writes { get; } = [];

    public List<string> Loads { get; } = [];

    /// <summary>Loads ("load X") and writes ("path &lt;- value") in the order they happened.</summary>
    public List<string> History { get; } = [];

    /// <summary>Devices bound by autoprobe when a driver registered ("bus/name=driver"): never through AcceptD.</summary>
    public List<string> AutoBound { get; } = [];

    /// <summary>Called after a successful bind (e.g. virtio-pci creating its virtio child).</summary>
    public Action<string, string, string>? OnBind { get; set; }

    /// <summary>Declares what loading a module does: registers driver on bus, matching modaliases by glob.</summary>
    public void DefineModule(string module, string bus, string driver, string matchGlob, string? createsBus = null) =>
        _modules[module] = (bus, driver, matchGlob, createsBus);

    public void Load(string module, string relativePath, string? parameters)
    {
        lock (_lock)
        {
            Loads.Add(module);
            History.Add("load " + module);
            if (!_modules.TryGetValue(module, out var m))
            {
                Directory.CreateDirectory(tree.Root + $"/sys/module/{module}");
                return;
            }
            if (m.CreatesBus is { } bus) tree.AddBus(bus, autoprobe: true);
            tree.AddDriver(m.Bus, m.Driver, module);
            if (tree.View.Read($"/sys/bus/{m.Bus}/drivers_autoprobe") == "1") AttachAll(m.Bus, m.Driver, m.MatchGlob);
        }
    }

    public void Write(string path, string value)
    {
        lock (_lock) WriteLocked(path, value);
    }

    /// <summary>driver_attach() at registration: every unbound device the driver matches, unless pinned to another driver.</summary>
    private void AttachAll(string bus, string driver, string matchGlob)
    {
        foreach (var name in tree.View.List($"/sys/bus/{bus}/devices"))
        {
            var dir = tree.DeviceDir(bus, name);
            var over = tree.View.Read(dir + "/driver_override") is { } o && o != "(null)" ? o : null;
            if (Driver(bus, name) is not null || (over ?? driver) != driver || !Glob.IsMatch(matchGlob, tree.View.Read(dir + "/modalias") ?? "")) continue;
            tree.Bind(bus, name, driver);
            AutoBound.Add($"{bus}/{name}={driver}");
            OnBind?.Invoke(bus, name, driver);
        }
    }

    private void WriteLocked(string path, string value)
    {
        Writes.Add($"{path} <- {value}");
        History.Add($"{path} <- {value}");
        if (tree.ReadFile(path) is null) throw new SysfsWriteException(path, Errno.ENOENT, "No such file or directory");
        var parts = path.Split('/');
        if (path.EndsWith("/drivers_autoprobe", StringComparison.Ordinal))
            tree.WriteFile(path, (value.StartsWith('0') ? "0" : "1") + "\n");
        else if (path.EndsWith("/driver_override", StringComparison.Ordinal))
            tree.WriteFile(path, (value.Length == 0 ? "(null)" : value) + "\n");
        else if (parts is ["", "sys", "bus", var bus, "drivers", var driver, "bind"])
            Bind(path, bus, value, driver);
        else if (parts is ["", "sys", "bus", var bus2, "drivers", var driver2, "unbind"])
        {
            if (Driver(bus2, value) != driver2) throw new SysfsWriteException(path, Errno.ENODEV, "No such device");
            tree.Unbind(bus2, value);
        }
        else if (parts is ["", "sys", "bus", var bus3, "drivers_probe"])
            Bind(path, bus3, value, null);
        else throw new SysfsWriteException(path, Errno.EACCES, "Permission denied");
    }

    private void Bind(string path, string bus, string name, string? driver)
    {
        if (!tree.View.Exists($"/sys/bus/{bus}/devices/{name}")) throw new SysfsWriteException(path, Errno.ENODEV, "No such device");
        if (Driver(bus, name) is not null) throw new SysfsWriteException(path, Errno.EBUSY, "Device or resource busy");
        var dir = tree.DeviceDir(bus, name);
        var over = tree.View.Read(dir + "/driver_override") is { } o && o != "(null)" ? o : null;
        var modalias = tree.View.Read(dir + "/modalias") ?? "";
        var chosen = driver ?? over ?? _modules.Values.FirstOrDefault(m => m.Bus == bus && Glob.IsMatch(m.MatchGlob, modalias)).Driver;
        var registered = chosen is not null && tree.View.Exists($"/sys/bus/{bus}/drivers/{chosen}");
        var matches = over is not null ? over == chosen : _modules.Values.Any(m => m.Bus == bus && m.Driver == chosen && Glob.IsMatch(m.MatchGlob, modalias));
        if (!registered || !matches)
        {
            if (driver is null) return; // drivers_probe succeeds even when nothing matched
            throw new SysfsWriteException(path, Errno.ENODEV, "No such device");
        }
        tree.Bind(bus, name, chosen!);
        OnBind?.Invoke(bus, name, chosen!);
    }

    private string? Driver(string bus, string name)
    {
        var link = tree.View.ReadLink(tree.DeviceDir(bus, name) + "/driver");
        return link is null ? null : Path.GetFileName(link);
    }
}
