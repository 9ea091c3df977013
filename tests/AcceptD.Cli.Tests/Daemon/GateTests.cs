using AcceptD.Core.Drivers;
using AcceptD.Core.Measurement;
using AcceptD.Core.Planning;
using AcceptD.Core.Policy;
using AcceptD.Core.State;
using AcceptD.Core.Uevents;
using AcceptD.Daemon;
using AcceptD.Os.Measurement;
using AcceptD.Os.State;
using AcceptD.Os.Sysfs;
using AcceptD.Os.Systemd;
using AcceptD.Testing;

namespace AcceptD.Cli.Tests.Daemon;

public sealed partial class GateTests : IDisposable
{
    private const string Rules = """
        allow bus=pci id=1af4:10[0-7]? module=virtio_pci reason="virtio transport"
        allow bus=virtio module=virtio_net reason="hardened"
        default deny reason="not hardened for CC"
        """;

    private readonly FakeSysfs _tree = FakeSysfs.Create();
    private readonly BindingKernel _kernel;
    private readonly string _state = Directory.CreateTempSubdirectory("acceptd-state-").FullName;
    private readonly string _policy = Directory.CreateTempSubdirectory("acceptd-policy-").FullName;
    private readonly StringWriter _log = new();

    public GateTests()
    {
        _tree.AddBus("pci");
        _tree.AddPciDevice("0000:00:03.0", "0x1af4", "0x1000", "0x020000");
        _tree.AddPciDevice("0000:00:04.0", "0x8086", "0x100e", "0x020000");
        _tree.WriteModulesFile("modules.alias",
            "alias pci:v00001AF4d00001000sv*sd*bc*sc*i* virtio_pci\nalias pci:v00008086d0000100Esv*sd*bc*sc*i* e1000\n" +
            "alias virtio:d00000001v* virtio_net\n");
        _tree.WriteModulesFile("modules.dep",
            "kernel/virtio_pci.ko: kernel/virtio.ko\nkernel/virtio.ko:\nkernel/e1000.ko:\nkernel/virtio_net.ko: kernel/virtio.ko\n");
        _kernel = new BindingKernel(_tree);
        _kernel.DefineModule("virtio", "virtio", "virtio-core-unused", "none", createsBus: "virtio");
        _kernel.DefineModule("virtio_pci", "pci", "virtio-pci", "pci:v00001AF4d*");
        _kernel.DefineModule("e1000", "pci", "e1000", "pci:v00008086d0000100E*");
        _kernel.DefineModule("virtio_net", "virtio", "virtio_net", "virtio:d00000001v*");
        // virtio-pci creates the virtio device below the transport, as the kernel does.
        _kernel.OnBind = (bus, name, driver) =>
        {
            if (driver == "virtio-pci") _tree.AddVirtioDevice("virtio0", _tree.DeviceDir(bus, name)[4..], 1);
        };
        File.WriteAllText(Path.Combine(_policy, "50-test.rules"), Rules);
    }

    private Gate NewGate(bool dryRun = false, EnforcementMode mode = EnforcementMode.Enforce, ISysfsWriter? writer = null,
        IMeasurementRegister? register = null, bool logsToJournal = false)
    {
        var settings = new GateSettings(mode, PreboundDenied.Report, dryRun, false, _state, [Path.Combine(_state, "rules.d"), _policy],
            $"/lib/modules/{_tree.Release}", Path.Combine(_state, "rules.d"))
        { LogsToJournal = logsToJournal };
        var policy = HostContext.LoadPolicy(settings.PolicyDirectories);
        Assert.True(policy.Policy is not null, string.Join("\n", policy.Diagnostics));
        var modules = ModuleIndex.Load(_tree.View, settings.ModulesDirectory);
        var executor = new PlanExecutor(_tree.View, writer ?? _kernel, _kernel, new NoTsmSession());
        var parts = new GateParts(_tree.View, executor, modules, new StateStore(_state), new LocalMeasurementLog(new EventLogFile(Path.Combine(_state, "eventlog")), register, "test-boot", _ => { }),
            LoggingSetup.Create(useJournal: false, stderr: _log), TimeProvider.System);
        return new Gate(settings, parts, policy.Policy!, () => HostContext.LoadPolicy(settings.PolicyDirectories));
    }

    private string? Driver(string bus, string name) => _tree.View.ReadLink(_tree.DeviceDir(bus, name) + "/driver") is { } l ? Path.GetFileName(l) : null;

    private static Uevent Event(string action, string devpath, string subsystem, ulong seq) =>
        new(action, devpath, subsystem, seq, System.Collections.Immutable.ImmutableDictionary<string, string>.Empty);

    [Fact]
    public void Coldplug_binds_the_allowed_device_pins_the_denied_one_and_persists_the_outcome()
    {
        var gate = NewGate();
        gate.Coldplug(seqAtStart: 100);

        Assert.Equal("virtio-pci", Driver("pci", "0000:00:03.0"));
        Assert.Null(Driver("pci", "0000:00:04.0"));
        Assert.Equal("none", _tree.View.Read(_tree.DeviceDir("pci", "0000:00:04.0") + "/driver_override"));
        Assert.DoesNotContain("e1000", _kernel.Loads);
        Assert.Equal("0", _tree.View.Read("/sys/bus/pci/drivers_autoprobe"));
        Assert.Equal("0", _tree.View.Read("/sys/bus/virtio/drivers_autoprobe")); // created by a module load: re-zeroed
        Assert.Equal("virtio_net", Driver("virtio", "virtio0")); // created by the transport's bind, decided in the same coldplug

        var saved = new StateStore(_state).Load(out _)!;
        Assert.True(saved.ColdplugComplete);
        Assert.Equal(DeviceState.Bound, saved.Devices.Single(d => d.Key == "pci/0000:00:03.0").State);
        var denied = saved.Devices.Single(d => d.Key == "pci/0000:00:04.0");
        Assert.Equal((DeviceState.Denied, "not hardened for CC"), (denied.State, denied.Reason));
    }

    [Fact]
    public void A_uevent_for_a_device_already_decided_or_absent_changes_nothing()
    {
        var gate = NewGate();
        gate.Coldplug(100);
        var writes = _kernel.Writes.Count;
        gate.Handle(Event("add", _tree.DeviceDir("virtio", "virtio0")[4..], "virtio", 101));
        gate.Handle(Event("add", "/devices/pci0000:00/0000:00:09.0", "pci", 102));
        Assert.Equal(writes, _kernel.Writes.Count);
        Assert.Equal(DeviceState.Bound, gate.Find("virtio/virtio0")!.State);
        Assert.Null(gate.Find("pci/0000:00:09.0"));
        Assert.Contains("ignored add@/devices/pci0000:00/0000:00:09.0 (pci, seq 102): no such device in sysfs", _log.ToString());
    }

    [Fact]
    public void A_restarted_daemon_resumes_without_writing_anything_again()
    {
        NewGate().Coldplug(100);
        var before = _kernel.Writes.Count;
        var loads = _kernel.Loads.Count;
        var again = NewGate();
        again.Coldplug(100);
        Assert.Equal(before, _kernel.Writes.Count);
        Assert.Equal(loads, _kernel.Loads.Count);
        Assert.Equal(DeviceState.Bound, again.Find("pci/0000:00:03.0")!.State);
    }

    [Fact]
    public void A_device_a_loaded_driver_grabbed_on_hot_add_is_unbound_and_recorded_as_a_violation()
    {
        var gate = NewGate();
        gate.Coldplug(100);
        _kernel.Load("e1000", "kernel/e1000.ko", null);
        var path = _tree.AddPciDevice("0000:02:00.0", "0x8086", "0x100e", "0x020000", driver: "e1000",
            parentPath: "/devices/pci0000:00/0000:00:11.0");
        gate.Handle(Event("add", path, "pci", 101));
        Assert.Null(Driver("pci", "0000:02:00.0"));
        Assert.Equal(DeviceState.Violation, gate.Find("pci/0000:02:00.0")!.State);
        gate.Rescan("test", eventsLost: false);
        Assert.Equal(DeviceState.Violation, gate.Find("pci/0000:02:00.0")!.State); // stays on record after a rescan
    }

    [Fact]
    public void An_operator_accept_overrides_the_policy_and_a_bad_reload_changes_nothing()
    {
        var gate = NewGate();
        gate.Coldplug(100);
        _kernel.DefineModule("e1000", "pci", "e1000", "pci:v00008086d0000100E*");
        var accepted = gate.Accept("0000:00:04.0", persistent: false);
        Assert.True(accepted.Ok, accepted.Message);
        Assert.Equal("e1000", Driver("pci", "0000:00:04.0"));
        Assert.Equal("virtio-pci", Driver("pci", "0000:00:03.0"));

        File.WriteAllText(Path.Combine(_policy, "60-broken.rules"), "allow bus=pci frobnicate=yes\n");
        var reload = gate.ReloadPolicy();
        Assert.False(reload.Ok);
        Assert.Contains("60-broken.rules:1:", reload.Message);
        Assert.Equal("e1000", Driver("pci", "0000:00:04.0"));
        Assert.False(gate.Accept("0000:09:00.0", false).Ok);
    }

    [Fact]
    public void A_new_bus_gets_autoprobe_off_when_its_uevent_arrives()
    {
        var gate = NewGate();
        gate.Coldplug(100);
        _tree.AddBus("auxiliary", autoprobe: true);
        gate.Handle(Event("add", "/bus/auxiliary", "bus", 101));
        Assert.Equal("0", _tree.View.Read("/sys/bus/auxiliary/drivers_autoprobe"));
    }

    [Fact]
    public void A_bus_add_uevent_also_zeroes_a_bus_whose_own_uevent_is_still_queued()
    {
        var gate = NewGate();
        gate.Coldplug(100);
        _tree.AddBus("auxiliary", autoprobe: true);
        _tree.AddBus("scsi", autoprobe: true); // registered by a module udev loaded; its add@/bus/scsi waits in the queue
        gate.Handle(Event("add", "/bus/auxiliary", "bus", 101));
        Assert.Equal("0", _tree.View.Read("/sys/bus/scsi/drivers_autoprobe"));
    }

    [Fact]
    public void A_bus_whose_uevent_was_lost_gets_autoprobe_off_at_the_sequence_gap()
    {
        var gate = NewGate();
        gate.Coldplug(100);
        _tree.AddBus("scsi", autoprobe: true); // its add@/bus/scsi (101) never arrived
        gate.Handle(Event("add", "/devices/virtual/misc/x", "misc", 102));
        Assert.Equal("0", _tree.View.Read("/sys/bus/scsi/drivers_autoprobe"));
    }

    [Fact]
    public void A_bus_whose_uevent_was_lost_gets_autoprobe_off_at_the_rescan_after_an_overflow()
    {
        var gate = NewGate();
        gate.Coldplug(100);
        _tree.AddBus("scsi", autoprobe: true);
        gate.Rescan("ENOBUFS", eventsLost: true);
        Assert.Equal("0", _tree.View.Read("/sys/bus/scsi/drivers_autoprobe"));
    }

    [Fact]
    public void Dry_run_decides_everything_and_writes_nothing()
    {
        var gate = NewGate(dryRun: true);
        gate.Coldplug(100);
        Assert.Empty(_kernel.Writes);
        Assert.Empty(_kernel.Loads);
        var device = gate.Find("pci/0000:00:03.0")!;
        Assert.Equal(DeviceState.Decided, device.State);
        Assert.StartsWith("dry-run: would load module virtio (kernel/virtio.ko)", device.Error);
        Assert.Contains(" | load module virtio_pci (", device.Error);
        Assert.Contains(" | write '0000:00:03.0' to /sys/bus/pci/drivers/virtio-pci/bind (to /sys/bus/pci/drivers_probe if the driver has no bind file), then confirm the driver link", device.Error);
        Assert.Contains("pci/0000:00:03.0: allow by", _log.ToString());
        Assert.Contains(device.Error!, _log.ToString());
        Assert.False(File.Exists(Path.Combine(_state, StateStore.FileName)));
    }

    [Fact]
    public void Permissive_mode_leaves_denied_devices_alone()
    {
        var gate = NewGate(mode: EnforcementMode.Permissive);
        gate.Coldplug(100);
        Assert.Equal(DeviceState.Reported, gate.Find("pci/0000:00:04.0")!.State);
        Assert.DoesNotContain(_kernel.Writes, w => w.Contains("0000:00:04.0"));
        Assert.Equal("permissive", gate.Status.Mode);
    }

    public void Dispose()
    {
        _tree.Dispose();
        Directory.Delete(_state, true);
        Directory.Delete(_policy, true);
    }
}
