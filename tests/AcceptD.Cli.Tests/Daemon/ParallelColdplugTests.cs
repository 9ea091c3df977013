using AcceptD.Core.Drivers;
using AcceptD.Core.Planning;
using AcceptD.Core.State;
using AcceptD.Daemon;
using AcceptD.Os.Measurement;
using AcceptD.Os.Modules;
using AcceptD.Os.State;
using AcceptD.Os.Sysfs;
using AcceptD.Os.Systemd;
using AcceptD.Testing;

namespace AcceptD.Cli.Tests.Daemon;

/// <summary>
/// Coldplug on several workers against the same tree carried out one device at a time: same records, same measured
/// log, and the invariants kept at every moment (autoprobe back at 0 after each module load, a parent bound before
/// its children, nothing bound that the policy did not approve).
/// </summary>
public sealed class ParallelColdplugTests : IDisposable
{
    private const string Rules = """
        allow bus=pci id=1af4:10[0-7]? module=virtio_pci reason="virtio transport"
        allow bus=pci id=8086:3c02 module=bridge_drv reason="root port"
        allow bus=pci id=8086:10d3 module=igb_like reason="behind the root port"
        deny bus=virtio name=virtio5 reason="this one stays out"
        allow bus=virtio module=virtio_net reason="hardened"
        allow bus=virtio module=virtio_blk reason="hardened"
        default deny reason="not hardened for CC"
        """;

    private const string BridgePath = "/devices/pci0000:00/0000:00:1c.0";

    private readonly List<Fixture> _fixtures = [];

    [Fact]
    public void Coldplug_on_four_workers_records_and_measures_what_one_worker_does()
    {
        var serial = Run(workers: 1);
        var parallel = Run(workers: 4);

        Assert.Equal(serial.Records(), parallel.Records());
        Assert.Equal(serial.EventLog(), parallel.EventLog());
        Assert.Contains("virtio/virtio3=virtio_net:bound", parallel.Records());
        Assert.Contains("pci/0000:01:00.0=igb_like:bound", parallel.Records());
        Assert.Contains("virtio/virtio5=:denied", parallel.Records());
    }

    [Fact]
    public void A_bus_a_parallel_module_load_created_is_back_at_0_before_a_driver_for_it_registers()
    {
        var run = Run(workers: 4);

        // virtio (loaded with virtio_pci) created the virtio bus at 1; virtio_net registered in the second pass.
        Assert.Empty(run.Kernel.AutoBound);
        Assert.Null(run.Driver("virtio", "virtio5"));
        Assert.Equal("0", run.Tree.View.Read("/sys/bus/virtio/drivers_autoprobe"));
    }

    [Fact]
    public void A_parent_is_bound_before_its_children_even_when_its_bind_is_slow()
    {
        var run = Run(workers: 4, slow: "/sys/bus/pci/drivers/bridge_drv/bind");

        int Index(string write) => run.Kernel.History.FindIndex(h => h.StartsWith(write, StringComparison.Ordinal));
        Assert.InRange(Index("/sys/bus/pci/drivers/bridge_drv/bind <- 0000:00:1c.0"), 0, Index("/sys/bus/pci/drivers/igb_like/bind <- 0000:01:00.0") - 1);
        Assert.Equal("igb_like", run.Driver("pci", "0000:01:00.0"));
    }

    [Fact]
    public void Devices_of_one_driver_are_bound_in_tree_order_even_when_the_first_bind_is_slow()
    {
        var run = Run(workers: 4, slow: "/sys/bus/pci/drivers/virtio-pci/bind <- 0000:00:03.0");

        var binds = run.Kernel.History.Where(h => h.StartsWith("/sys/bus/pci/drivers/virtio-pci/bind", StringComparison.Ordinal)).ToArray();
        Assert.Equal(["03", "04", "05", "06", "07", "08"], binds.Select(b => b[^4..^2]));
    }

    [Fact]
    public void Every_module_is_loaded_after_what_it_needs_and_before_any_bind()
    {
        var run = Run(workers: 4, slow: "virtio");

        var history = run.Kernel.History;
        Assert.True(history.IndexOf("load virtio") < history.IndexOf("load virtio_pci"), string.Join("\n", history));
        var firstBind = history.FindIndex(h => h.Contains("/bind <- ", StringComparison.Ordinal));
        Assert.All(new[] { "load virtio_pci", "load bridge_drv", "load igb_like" }, load => Assert.InRange(history.IndexOf(load), 0, firstBind));
    }

    private Fixture Run(int workers, string? slow = null)
    {
        var fixture = new Fixture(slow);
        _fixtures.Add(fixture);
        using var gate = fixture.NewGate(workers);
        gate.Coldplug(seqAtStart: 100);
        Assert.True(gate.Status.ColdplugComplete);
        return fixture;
    }

    public void Dispose()
    {
        foreach (var fixture in _fixtures) fixture.Dispose();
    }

    private sealed class Fixture : IDisposable
    {
        private readonly string _state = Directory.CreateTempSubdirectory("acceptd-state-").FullName;
        private readonly string _policy = Directory.CreateTempSubdirectory("acceptd-policy-").FullName;
        private readonly string? _slow;

        public Fixture(string? slow)
        {
            _slow = slow;
            Tree.AddBus("pci");
            foreach (var (slot, type) in new[] { (3, 0x1000), (4, 0x1001), (5, 0x1000), (6, 0x1001), (7, 0x1000), (8, 0x1005) })
                Tree.AddPciDevice($"0000:00:0{slot}.0", "0x1af4", $"0x{type:x4}", "0x020000");
            Tree.AddPciDevice("0000:00:09.0", "0x8086", "0x100e", "0x020000");
            Tree.AddPciDevice("0000:00:1c.0", "0x8086", "0x3c02", "0x060400");
            Tree.AddPciDevice("0000:01:00.0", "0x8086", "0x10d3", "0x020000", parentPath: BridgePath);
            Tree.WriteModulesFile("modules.alias", """
                alias pci:v00001AF4d0000100[0-7]sv*sd*bc*sc*i* virtio_pci
                alias pci:v00008086d0000100Esv*sd*bc*sc*i* e1000
                alias pci:v00008086d00003C02sv*sd*bc*sc*i* bridge_drv
                alias pci:v00008086d000010D3sv*sd*bc*sc*i* igb_like
                alias virtio:d00000001v* virtio_net
                alias virtio:d00000002v* virtio_blk
                alias virtio:d00000004v* virtio_rng

                """);
            Tree.WriteModulesFile("modules.dep", """
                kernel/virtio_pci.ko: kernel/virtio_ring.ko kernel/virtio.ko
                kernel/virtio_ring.ko: kernel/virtio.ko
                kernel/virtio.ko:
                kernel/e1000.ko:
                kernel/bridge_drv.ko:
                kernel/igb_like.ko:
                kernel/virtio_net.ko: kernel/virtio_ring.ko kernel/virtio.ko
                kernel/virtio_blk.ko: kernel/virtio_ring.ko kernel/virtio.ko
                kernel/virtio_rng.ko: kernel/virtio_ring.ko kernel/virtio.ko

                """);
            Kernel = new BindingKernel(Tree);
            Kernel.DefineModule("virtio", "virtio", "virtio-core-unused", "none", createsBus: "virtio");
            Kernel.DefineModule("virtio_pci", "pci", "virtio-pci", "pci:v00001AF4d*");
            Kernel.DefineModule("e1000", "pci", "e1000", "pci:v00008086d0000100E*");
            Kernel.DefineModule("bridge_drv", "pci", "bridge_drv", "pci:v00008086d00003C02*");
            Kernel.DefineModule("igb_like", "pci", "igb_like", "pci:v00008086d000010D3*");
            Kernel.DefineModule("virtio_net", "virtio", "virtio_net", "virtio:d00000001v*");
            Kernel.DefineModule("virtio_blk", "virtio", "virtio_blk", "virtio:d00000002v*");
            Kernel.DefineModule("virtio_rng", "virtio", "virtio_rng", "virtio:d00000004v*");
            // The transport in slot N creates virtioN, whatever order the binds run in (the kernel numbers them as they come).
            Kernel.OnBind = (bus, name, driver) =>
            {
                if (driver != "virtio-pci") return;
                var type = Tree.View.Read(Tree.DeviceDir(bus, name) + "/device") == "0x1001" ? 2 : 1;
                Tree.AddVirtioDevice("virtio" + name[^3], Tree.DeviceDir(bus, name)[4..], type);
            };
            File.WriteAllText(Path.Combine(_policy, "50-test.rules"), Rules);
        }

        public FakeSysfs Tree { get; } = FakeSysfs.Create();

        public BindingKernel Kernel { get; }

        public Gate NewGate(int workers)
        {
            var settings = new GateSettings(EnforcementMode.Enforce, PreboundDenied.Report, false, false, _state, [_policy],
                $"/lib/modules/{Tree.Release}", Path.Combine(_state, "rules.d"))
            { Workers = workers };
            var policy = HostContext.LoadPolicy(settings.PolicyDirectories);
            Assert.True(policy.Policy is not null, string.Join("\n", policy.Diagnostics));
            var slow = new Slow(Kernel, _slow);
            var executor = new PlanExecutor(Tree.View, slow, slow, new NoTsmSession());
            var log = new LocalMeasurementLog(new EventLogFile(Path.Combine(_state, "eventlog")), null, "test-boot", _ => { });
            var parts = new GateParts(Tree.View, executor, ModuleIndex.Load(Tree.View, settings.ModulesDirectory), new StateStore(_state), log,
                LoggingSetup.Create(useJournal: false, stderr: TextWriter.Null), TimeProvider.System);
            return new Gate(settings, parts, policy.Policy!, () => HostContext.LoadPolicy(settings.PolicyDirectories));
        }

        public string? Driver(string bus, string name) =>
            Tree.View.ReadLink(Tree.DeviceDir(bus, name) + "/driver") is { } link ? Path.GetFileName(link) : null;

        /// <summary>What state.json says of each device, without the times.</summary>
        public string[] Records() => [.. new StateStore(_state).Load(out _)!.Devices
            .Select(d => $"{d.Key}={d.Driver}:{d.State.Name()}").Order(StringComparer.Ordinal)];

        public string EventLog() => File.ReadAllText(Path.Combine(_state, "eventlog"));

        public void Dispose()
        {
            Tree.Dispose();
            Directory.Delete(_state, recursive: true);
            Directory.Delete(_policy, recursive: true);
        }
    }

    /// <summary>Delays one write (by path, or "path &lt;- value") or one module load, so that an ordering guard that is missing shows.</summary>
    private sealed class Slow(BindingKernel kernel, string? slow) : ISysfsWriter, IModuleLoader
    {
        public void Write(string path, string value)
        {
            if (path == slow || $"{path} <- {value}" == slow) Thread.Sleep(300);
            kernel.Write(path, value);
        }

        public void Load(string module, string relativePath, string? parameters)
        {
            if (module == slow) Thread.Sleep(300);
            kernel.Load(module, relativePath, parameters);
        }
    }
}
