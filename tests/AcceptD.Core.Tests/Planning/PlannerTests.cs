using AcceptD.Core.Devices;
using AcceptD.Core.Drivers;
using AcceptD.Core.Planning;
using AcceptD.Core.Policy;
using AcceptD.Core.State;
using AcceptD.Testing;

namespace AcceptD.Core.Tests.Planning;

public sealed partial class PlannerTests
{
    private const string Modules = "/lib/modules/6.1.0-test";

    private static readonly ModuleIndex Index = ModuleIndex.Load(new InMemoryFileView()
        .File(Modules + "/modules.alias",
            "alias pci:v00001AF4d00001000sv*sd*bc*sc*i* virtio_pci\n" +
            "alias pci:v00008086d0000100Esv*sd*bc*sc*i* e1000\n" +
            "alias pci:v000010ECd00008139sv*sd*bc*sc*i* 8139cp\n" +
            "alias pci:v000010ECd00008139sv*sd*bc*sc*i* 8139too\n" +
            "alias pci:v00008086d0000FFFFsv*sd*bc*sc*i* evil\n" +
            "alias pci:v00008086d0000FFFEsv*sd*bc*sc*i* evil\n" +
            "alias pci:v000015B3d00001021sv*sd*bc*sc*i* mlx5_core\n" +
            "alias pci:v000015B3d00001023sv*sd*bc*sc*i* mlx5_core\n" +
            "alias pci:v000015B3d0000101Esv*sd*bc*sc*i* mlx5_core\n")
        .File(Modules + "/modules.dep",
            "kernel/drivers/virtio/virtio_pci.ko: kernel/drivers/virtio/virtio_ring.ko kernel/drivers/virtio/virtio.ko\n" +
            "kernel/drivers/virtio/virtio_ring.ko: kernel/drivers/virtio/virtio.ko\nkernel/drivers/virtio/virtio.ko:\n" +
            "kernel/drivers/net/e1000.ko:\nkernel/drivers/net/8139cp.ko: kernel/drivers/net/mii.ko\nkernel/drivers/net/mii.ko:\n" +
            "kernel/drivers/net/8139too.ko: kernel/drivers/net/mii.ko\nkernel/drivers/evil.ko:\nkernel/drivers/net/mlx5_core.ko:\nkernel/drivers/net/mlx5_prep.ko:\n")
        .File("/etc/modprobe.d/cc.conf", "blacklist evil\n"), Modules);

    private const string Policy = """
        allow bus=pci id=1af4:10[0-7]? module=virtio_pci reason="virtio transport"
        allow bus=pci id=10ec:8139 driver=8139cp reason="8139cp preferred"
        allow bus=pci id=8086:ffff reason="blacklisted module"
        tdisp bus=pci id=15b3:101e measurements=sha384:000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000 certroot=sha256:0000000000000000000000000000000000000000000000000000000000000000
        tdisp bus=pci id=15b3:1021 prepare=mlx5-prep measurements=sha384:000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000 certroot=sha256:0000000000000000000000000000000000000000000000000000000000000000
        tdisp bus=pci id=15b3:1023 prepare=no_such_prep measurements=sha384:000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000 certroot=sha256:0000000000000000000000000000000000000000000000000000000000000000
        tdisp bus=pci id=8086:fffe module=evil measurements=sha384:000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000 certroot=sha256:0000000000000000000000000000000000000000000000000000000000000000
        allow bus=pci id=1b36:0001 reason="no module"
        ignore bus=cpu reason="housekeeping"
        default deny reason="not hardened for CC"
        """;

    private static Device Pci(string name, string vendor, string device, string? driver = null, bool hasOverride = true, string? driverOverride = null) =>
        new("pci", name, "/devices/pci0000:00/" + name, $"pci:v0000{vendor.ToUpperInvariant()}d0000{device.ToUpperInvariant()}sv00001AF4sd00000001bc02sc00i00",
            driver, new DeviceIds(vendor, device), driverOverride, hasOverride);

    private static BindPlan PlanFor(Device device, PlannerOptions? options = null, bool boundBeforeStart = false,
        IEnumerable<RegisteredDriver>? drivers = null, IEnumerable<string>? loaded = null)
    {
        var inventory = new Inventory(new DeviceTree([device]), [], new DriverCatalog(drivers ?? []), [.. loaded ?? []]);
        var policy = PolicyLoader.FromSources([("test.rules", Policy)]);
        Assert.True(policy.Policy is not null, string.Join("\n", policy.Diagnostics));
        var judge = new DeviceJudge(new PolicyEvaluator(policy.Policy!), new DriverResolver(Index, inventory.Drivers),
            new Planner(Index, inventory, options ?? new PlannerOptions()));
        var origin = boundBeforeStart ? DeviceOrigin.Coldplug : DeviceOrigin.Hotplug;
        return judge.Judge(judge.Facts(device, inventory.Tree, origin, boundBeforeStart));
    }

    private static string[] Steps(BindPlan plan) => plan.Steps.Select(s => s.Describe()).ToArray();

    [Fact]
    public void An_allowed_device_loads_dependencies_first_rezeroes_autoprobe_after_each_then_pins_and_binds()
    {
        var plan = PlanFor(Pci("0000:00:03.0", "1af4", "1000"));
        Assert.Equal(DeviceState.Bound, plan.Outcome);
        Assert.Collection(plan.Steps,
            s => Assert.Equal("virtio", Assert.IsType<LoadModule>(s).Module),
            s => Assert.IsType<ZeroAutoprobe>(s),
            s => Assert.Equal("virtio_ring", Assert.IsType<LoadModule>(s).Module),
            s => Assert.IsType<ZeroAutoprobe>(s),
            s => Assert.Equal("virtio_pci", Assert.IsType<LoadModule>(s).Module),
            s => Assert.IsType<ZeroAutoprobe>(s),
            s => Assert.Equal("virtio-pci", Assert.IsType<SetOverride>(s).Value),
            s => Assert.Equal("virtio-pci", Assert.IsType<Bind>(s).Candidate.DriverOrModule));
        Assert.Contains("write 'virtio-pci' to /sys/devices/pci0000:00/0000:00:03.0/driver_override (driver name known for virtio_pci; confirmed after loading)", Steps(plan));
        Assert.Contains("write '0000:00:03.0' to /sys/bus/pci/drivers/virtio-pci/bind (to /sys/bus/pci/drivers_probe if the driver has no bind file), then confirm the driver link (driver name known for virtio_pci; confirmed after loading)", Steps(plan));
    }

    [Fact]
    public void Modules_already_present_are_not_loaded_again()
    {
        var plan = PlanFor(Pci("0000:00:03.0", "1af4", "1000"), drivers: [new RegisteredDriver("pci", "virtio-pci", "virtio_pci", true)],
            loaded: ["virtio", "virtio_ring", "virtio_pci"]);
        Assert.DoesNotContain(plan.Steps, s => s is LoadModule);
        Assert.Equal(["write 'virtio-pci' to /sys/devices/pci0000:00/0000:00:03.0/driver_override",
            "write '0000:00:03.0' to /sys/bus/pci/drivers/virtio-pci/bind, then confirm the driver link"], Steps(plan));
    }

    [Fact]
    public void The_rule_picks_the_driver_when_two_modules_match()
    {
        var plan = PlanFor(Pci("0000:00:08.0", "10ec", "8139"));
        Assert.Equal("8139cp", Assert.Single(plan.Steps.OfType<Bind>()).Candidate.Module);
        Assert.DoesNotContain(plan.Steps, s => s is LoadModule { Module: "8139too" });
    }

    [Fact]
    public void A_denied_device_is_pinned_to_no_driver_and_its_module_is_never_loaded()
    {
        var plan = PlanFor(Pci("0000:00:04.0", "8086", "100e"));
        Assert.Equal(DeviceState.Denied, plan.Outcome);
        Assert.Equal("not hardened for CC", plan.Decision.Reason);
        Assert.Equal(["write 'none' to /sys/devices/pci0000:00/0000:00:04.0/driver_override"], Steps(plan));
    }

    [Fact]
    public void A_denied_device_already_pinned_needs_no_write()
    {
        var plan = PlanFor(Pci("0000:00:04.0", "8086", "100e", driverOverride: "none"));
        Assert.True(plan.IsEmpty);
        Assert.Equal(DeviceState.Denied, plan.Outcome);
    }

    [Fact]
    public void A_denied_device_bound_before_start_is_reported_by_default_and_unbound_when_configured()
    {
        var bound = Pci("0000:00:04.0", "8086", "100e", driver: "e1000");
        var reported = PlanFor(bound, boundBeforeStart: true);
        Assert.True(reported.IsEmpty);
        Assert.Equal(DeviceState.Reported, reported.Outcome);

        var unbound = PlanFor(bound, new PlannerOptions(PreboundDenied: PreboundDenied.Unbind), boundBeforeStart: true);
        Assert.Equal(["write '0000:00:04.0' to /sys/bus/pci/drivers/e1000/unbind",
            "write 'none' to /sys/devices/pci0000:00/0000:00:04.0/driver_override"], Steps(unbound));
        Assert.Equal(DeviceState.Denied, unbound.Outcome);
    }

    [Fact]
    public void A_denied_device_a_driver_grabbed_after_start_is_a_violation_and_unbound()
    {
        var plan = PlanFor(Pci("0000:02:00.0", "8086", "100e", driver: "e1000"));
        Assert.Equal(DeviceState.Violation, plan.Outcome);
        Assert.IsType<Unbind>(plan.Steps[0]);
    }

    [Fact]
    public void Permissive_mode_reports_denials_and_writes_nothing()
    {
        var plan = PlanFor(Pci("0000:02:00.0", "8086", "100e", driver: "e1000"), new PlannerOptions(EnforcementMode.Permissive));
        Assert.True(plan.IsEmpty);
        Assert.Equal(DeviceState.Reported, plan.Outcome);
    }

    [Fact]
    public void Allowed_without_a_module_or_with_a_blacklisted_one_fails_with_a_note()
    {
        var none = PlanFor(Pci("0000:00:09.0", "1b36", "0001"));
        Assert.Equal(DeviceState.Failed, none.Outcome);
        Assert.Contains("no module", none.Note);

        var blacklisted = PlanFor(Pci("0000:00:0a.0", "8086", "ffff"));
        Assert.Equal(DeviceState.Failed, blacklisted.Outcome);
        Assert.Contains("blacklisted", blacklisted.Note);
    }

    [Fact]
    public void Ignored_devices_get_no_writes()
    {
        var cpu = new Device("cpu", "cpu0", "/devices/system/cpu/cpu0", null, "processor", DeviceIds.None);
        var plan = PlanFor(cpu, boundBeforeStart: true);
        Assert.Equal(DeviceState.Ignored, plan.Outcome);
        Assert.True(plan.IsEmpty);
    }
}
