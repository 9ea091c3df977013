using System.Text.Json;
using System.Xml.Linq;
using AcceptD.Core.State;
using AcceptD.Daemon.Bus;

namespace AcceptD.DBus.Tests.Daemon.Bus;

/// <summary>The service on a real dbus-daemon, driven by busctl and gdbus as independent clients.</summary>
public sealed class GateBusServiceTests : IDisposable
{
    private readonly ServedGate _served = new();

    public void Dispose() => _served.Dispose();

    private JsonElement BusctlJson(params string[] args) =>
        JsonDocument.Parse(_served.Busctl(["--json=short", .. args]).Ok().Stdout).RootElement;

    [Fact]
    public void Manager_properties_read_through_busctl()
    {
        Assert.Equal("0.1.0-test", BusctlJson("get-property", "org.acceptd1", "/org/acceptd1", "org.acceptd1.Manager", "Version").GetProperty("data").GetString());
        Assert.True(BusctlJson("get-property", "org.acceptd1", "/org/acceptd1", "org.acceptd1.Manager", "DryRun").GetProperty("data").GetBoolean());
        var counts = BusctlJson("get-property", "org.acceptd1", "/org/acceptd1", "org.acceptd1.Manager", "Counts").GetProperty("data");
        Assert.Equal(1, counts.GetProperty("seen").GetInt32());
        Assert.Equal(1, counts.GetProperty("bound").GetInt32());
        var files = BusctlJson("get-property", "org.acceptd1", "/org/acceptd1", "org.acceptd1.Manager", "PolicyFiles").GetProperty("data");
        Assert.Equal("/etc/acceptd/rules.d/10-test.rules", files[0].GetString());
        Assert.Equal("none: no register: the log is kept but nothing measures it, log /run/acceptd/eventlog",
            BusctlJson("get-property", "org.acceptd1", "/org/acceptd1", "org.acceptd1.Manager", "Measurement").GetProperty("data").GetString());
    }

    [Fact]
    public void Device_object_properties_through_GetAll()
    {
        var all = _served.Gdbus("call", "--dest", "org.acceptd1", "--object-path", ServedGate.NetPath,
            "--method", "org.freedesktop.DBus.Properties.GetAll", "org.acceptd1.Device").Ok().Stdout;
        Assert.Contains("'Key': <'pci/0000:00:03.0'>", all);
        Assert.Contains("'State': <'seen'>", all);
        Assert.Contains("'SysPath': <'/sys/devices/pci0000:00/0000:00:03.0'>", all);
        Assert.Contains("'Vendor': <'1af4'>", all);
        Assert.Contains("'Class': <'020000'>", all);
        Assert.Contains("'FirstSeen': <uint64 1700000000000000>", all);
    }

    [Fact]
    public void A_long_non_ascii_string_reaches_the_client_whole()
    {
        var reason = string.Concat(Enumerable.Repeat("é—ü ", 300)); // 1,800 UTF-8 bytes: past the stack buffer
        _served.Gate.Put(InMemoryGate.Record("pci", "0000:00:09.0") with { Reason = reason });
        var all = _served.Gdbus("call", "--dest", "org.acceptd1", "--object-path", GateBusService.PathOf("pci/0000:00:09.0"),
            "--method", "org.freedesktop.DBus.Properties.Get", "org.acceptd1.Device", "Reason").Ok().Stdout;
        Assert.Contains($"<'{reason}'>", all);
    }

    [Fact]
    public void ListDevices_returns_paths_and_states_and_honours_the_filter()
    {
        var all = BusctlJson("call", "org.acceptd1", "/org/acceptd1", "org.acceptd1.Manager", "ListDevices", "s", "").GetProperty("data")[0];
        Assert.Equal(2, all.GetArrayLength());
        Assert.Equal(ServedGate.NetPath, all[0][0].GetString());
        Assert.Equal(["pci/0000:00:03.0", "seen", "", "", ""], all[0].EnumerateArray().Skip(1).Select(e => e.GetString()!));
        Assert.Equal(["pci/0000:00:04.0", "bound", "allow", "virtio-pci", "10-test.rules:3"], all[1].EnumerateArray().Skip(1).Select(e => e.GetString()!));
        var bound = BusctlJson("call", "org.acceptd1", "/org/acceptd1", "org.acceptd1.Manager", "ListDevices", "s", "bound").GetProperty("data")[0];
        Assert.Equal("pci/0000:00:04.0", Assert.Single(bound.EnumerateArray())[1].GetString());
    }

    [Theory]
    [InlineData("pci/0000:00:03.0")]
    [InlineData("0000:00:03.0")]
    [InlineData("/sys/devices/pci0000:00/0000:00:03.0")]
    [InlineData("/org/acceptd1/device/pci_2f0000_3a00_3a03_2e0")]
    public void GetDevice_accepts_key_name_sysfs_path_and_object_path(string reference)
    {
        var props = BusctlJson("call", "org.acceptd1", "/org/acceptd1", "org.acceptd1.Manager", "GetDevice", "s", reference).GetProperty("data")[0];
        Assert.Equal("pci/0000:00:03.0", props.GetProperty("Key").GetProperty("data").GetString());
        Assert.Equal("virtio_pci", props.GetProperty("PlannedDriver").GetProperty("data").GetString());
    }

    [Theory]
    [InlineData("pci/0000:00:09.0", BusNames.UnknownDevice)]
    [InlineData("../../etc/passwd", BusNames.InvalidArgument)]
    [InlineData("/sys/devices/../bus/pci", BusNames.InvalidArgument)]
    [InlineData("", BusNames.InvalidArgument)]
    [InlineData("/org/acceptd1/device/a/b", BusNames.InvalidArgument)]
    public void Bad_device_references_get_named_errors(string reference, string error)
    {
        var r = _served.Gdbus("call", "--dest", "org.acceptd1", "--object-path", "/org/acceptd1",
            "--method", "org.acceptd1.Manager.GetDevice", reference);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("GDBus.Error:" + error, r.Stderr);
    }

    [Fact]
    public void Huge_strings_and_wrong_argument_types_are_refused_and_the_service_keeps_serving()
    {
        var huge = _served.Busctl("call", "org.acceptd1", "/org/acceptd1", "org.acceptd1.Manager", "GetDevice", "s", new string('x', 100_000));
        Assert.Contains("at most 512", huge.Stderr);
        var wrongType = _served.Busctl("call", "org.acceptd1", "/org/acceptd1", "org.acceptd1.Manager", "GetDevice", "u", "7");
        Assert.Contains("Invalid argument", wrongType.Stderr);
        var control = _served.Busctl("call", "org.acceptd1", "/org/acceptd1", "org.acceptd1.Manager", "ListDevices", "s", "a\u0001b");
        Assert.Contains("control characters", control.Stderr);
        var missing = _served.Busctl("get-property", "org.acceptd1", "/org/acceptd1/device/pci_2f9", "org.acceptd1.Device", "State");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Equal("0.1.0-test", BusctlJson("get-property", "org.acceptd1", "/org/acceptd1", "org.acceptd1.Manager", "Version").GetProperty("data").GetString());
    }

    [Fact]
    public void Root_accepts_a_device_and_watchers_see_the_signal_and_PropertiesChanged()
    {
        using var monitor = new SignalMonitor(_served.Address);
        var reply = BusctlJson("call", "org.acceptd1", "/org/acceptd1", "org.acceptd1.Manager", "AcceptDevice", "sb", "0000:00:03.0", "true");
        Assert.Equal("allow pci/0000:00:03.0", reply.GetProperty("data")[0].GetString());
        Assert.Equal(["allow pci/0000:00:03.0 True"], _served.Gate.Requests);
        monitor.WaitFor($"org.acceptd1.Manager.DeviceChanged (objectpath '{ServedGate.NetPath}', 'bound')");
        monitor.WaitFor("'State': <'bound'>");
        monitor.WaitFor("'Counts': <{'bound': uint32 2}>");
        Assert.Equal("bound", BusctlJson("get-property", "org.acceptd1", ServedGate.NetPath, "org.acceptd1.Device", "State").GetProperty("data").GetString());
    }

    [Fact]
    public void New_devices_and_violations_are_signalled()
    {
        using var monitor = new SignalMonitor(_served.Address);
        _served.Gate.Put(InMemoryGate.Record("virtio", "virtio7"));
        monitor.WaitFor($"org.acceptd1.Manager.DeviceAdded (objectpath '{GateBusService.PathOf("virtio/virtio7")}', 'seen')");
        _served.Gate.Violate(ServedGate.BlockKey);
        monitor.WaitFor($"org.acceptd1.Manager.TopologyViolation (objectpath '{GateBusService.PathOf(ServedGate.BlockKey)}', 'bound behind our back')");
        var tree = _served.Busctl("tree", "--list", "org.acceptd1").Ok().Stdout;
        Assert.Contains(GateBusService.PathOf("virtio/virtio7"), tree);
    }

    [Fact]
    public void A_refusal_by_the_gate_is_a_Refused_error()
    {
        _served.Busctl("call", "org.acceptd1", "/org/acceptd1", "org.acceptd1.Manager", "LockTopology").Ok();
        var again = _served.Busctl("call", "org.acceptd1", "/org/acceptd1", "org.acceptd1.Manager", "LockTopology");
        Assert.Contains("topology is already locked", again.Stderr);
        Assert.True(BusctlJson("get-property", "org.acceptd1", "/org/acceptd1", "org.acceptd1.Manager", "TopologyLocked").GetProperty("data").GetBoolean());
    }

    [Fact]
    public void Nobody_may_read_but_not_change_without_polkit()
    {
        Assert.Equal("seen", JsonDocument.Parse(_served.BusctlAsNobody("--json=short", "get-property", "org.acceptd1", ServedGate.NetPath,
            "org.acceptd1.Device", "State").Ok().Stdout).RootElement.GetProperty("data").GetString());
        var denied = _served.GdbusAsNobody("call", "--dest", "org.acceptd1", "--object-path", "/org/acceptd1",
            "--method", "org.acceptd1.Manager.AcceptDevice", ServedGate.NetKey, "false");
        Assert.Contains("GDBus.Error:org.freedesktop.DBus.Error.AccessDenied: not authorized for org.acceptd1.manage: polkit is not running", denied.Stderr);
        Assert.Empty(_served.Gate.Requests);
        Assert.Equal(DeviceState.Seen, _served.Gate.Find(ServedGate.NetKey)!.State);
    }

    [Fact]
    public void Nobody_is_refused_or_granted_as_polkit_answers()
    {
        _served.Bus.StartPolkitMock();
        var denied = _served.GdbusAsNobody("call", "--dest", "org.acceptd1", "--object-path", "/org/acceptd1",
            "--method", "org.acceptd1.Manager.DenyDevice", ServedGate.NetKey, "false");
        Assert.Contains("GDBus.Error:org.freedesktop.DBus.Error.AccessDenied: not authorized for org.acceptd1.manage: polkit refused", denied.Stderr);
        Assert.Empty(_served.Gate.Requests);
        _served.Bus.PolkitAllow(BusNames.ManageAction);
        _served.BusctlAsNobody("call", "org.acceptd1", "/org/acceptd1", "org.acceptd1.Manager", "DenyDevice", "sb", ServedGate.NetKey, "false").Ok();
        Assert.Equal(["deny pci/0000:00:03.0 False"], _served.Gate.Requests);
    }

    [Fact]
    public void Only_root_may_own_the_name()
    {
        var r = Tools.Run(Tools.Python, ["-c", "import dbus,sys; b=dbus.bus.BusConnection(sys.argv[1]); b.request_name('org.acceptd1')", _served.Address],
            asNobody: true);
        Assert.Contains("not allowed to own the service \"org.acceptd1\"", r.Stderr);
    }

    [Theory]
    [InlineData("/org/acceptd1", "org.acceptd1.Manager")]
    [InlineData("/org/acceptd1/device/pci_2f0000_3a00_3a03_2e0", "org.acceptd1.Device")]
    public void Introspection_of_the_running_service_matches_the_committed_xml(string path, string iface)
    {
        var committed = Introspection.Committed();
        var live = XDocument.Parse(_served.Gdbus("introspect", "--xml", "--dest", "org.acceptd1", "--object-path", path).Ok().Stdout);
        Assert.Equal(Introspection.Members(committed, iface), Introspection.Members(live, iface));
    }

    [Fact]
    public void Device_objects_are_children_of_the_device_prefix_in_introspection()
    {
        var live = XDocument.Parse(_served.Gdbus("introspect", "--xml", "--dest", "org.acceptd1", "--object-path", "/org/acceptd1/device").Ok().Stdout);
        Assert.Equal(["pci_2f0000_3a00_3a03_2e0", "pci_2f0000_3a00_3a04_2e0"],
            live.Root!.Elements("node").Select(n => n.Attribute("name")!.Value).Order(StringComparer.Ordinal));
    }
}
