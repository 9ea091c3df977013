using System.Text.Json;
using AcceptD.Core.Drivers;
using AcceptD.Core.Planning;
using AcceptD.Core.State;
using AcceptD.Daemon;
using AcceptD.Daemon.Bus;
using AcceptD.Os.Measurement;
using AcceptD.Os.State;
using AcceptD.Os.Sysfs;
using AcceptD.Os.Systemd;
using AcceptD.Testing;

namespace AcceptD.DBus.Tests.Daemon;

/// <summary>
/// The real gate served on a private bus: while its worker is stuck in a bind, busctl's reads still answer at once,
/// from the snapshot published before the bind (nothing half-done), and the bind's outcome shows once it returns.
/// </summary>
public sealed class ReadsDuringABindTests : IDisposable
{
    private readonly FakeSysfs _tree = FakeSysfs.Create();
    private readonly BindingKernel _kernel;
    private readonly string _state = Directory.CreateTempSubdirectory("acceptd-bus-state-").FullName;
    private readonly string _policy = Directory.CreateTempSubdirectory("acceptd-bus-policy-").FullName;
    private readonly PrivateBus _bus;

    public ReadsDuringABindTests()
    {
        Tools.Require();
        _tree.AddBus("pci");
        _tree.AddPciDevice("0000:00:04.0", "0x8086", "0x100e", "0x020000");
        _tree.WriteModulesFile("modules.alias", "alias pci:v00008086d0000100Esv*sd*bc*sc*i* e1000\n");
        _tree.WriteModulesFile("modules.dep", "kernel/e1000.ko:\n");
        _kernel = new BindingKernel(_tree);
        _kernel.DefineModule("e1000", "pci", "e1000", "pci:v00008086d0000100E*");
        File.WriteAllText(Path.Combine(_policy, "50-test.rules"), "allow bus=pci id=8086:100e reason=\"test NIC\"\ndefault deny\n");
        _bus = new PrivateBus();
    }

    private JsonElement Read(params string[] call) =>
        JsonDocument.Parse(Tools.Run("busctl", ["--address=" + _bus.Address, "--timeout=5", "--json=short", .. call], TimeSpan.FromSeconds(20))
            .Ok().Stdout).RootElement.GetProperty("data");

    /// <summary>Counts holds only the states some device is in.</summary>
    private int BoundCount() =>
        Read("get-property", BusNames.Service, "/org/acceptd1", "org.acceptd1.Manager", "Counts").TryGetProperty("bound", out var n) ? n.GetInt32() : 0;

    /// <summary>The state of every device ListDevices returns (rows: path, key, state, verdict, driver, rule).</summary>
    private string[] States() =>
        [.. Read("call", BusNames.Service, "/org/acceptd1", "org.acceptd1.Manager", "ListDevices", "s", "")[0].EnumerateArray().Select(r => r[2].GetString()!)];

    [Fact]
    public async Task ListDevices_and_Counts_answer_while_the_gate_is_stuck_in_a_bind()
    {
        var settings = new GateSettings(EnforcementMode.Enforce, PreboundDenied.Report, false, false, _state, [_policy],
            $"/lib/modules/{_tree.Release}", Path.Combine(_state, "rules.d"));
        var policy = HostContext.LoadPolicy(settings.PolicyDirectories);
        var slow = new SlowBind(_kernel);
        var parts = new GateParts(_tree.View, new PlanExecutor(_tree.View, slow, _kernel, new NoTsmSession()),
            ModuleIndex.Load(_tree.View, settings.ModulesDirectory), new StateStore(_state),
            new LocalMeasurementLog(new EventLogFile(Path.Combine(_state, "eventlog")), null, "test-boot", _ => { }),
            LoggingSetup.Create(useJournal: false, stderr: TextWriter.Null), TimeProvider.System);
        using var gate = new Gate(settings, parts, policy.Policy!, () => HostContext.LoadPolicy(settings.PolicyDirectories));
        using var service = GateBusService.Start(gate, _bus.Address, Serilog.Core.Logger.None);
        _bus.WaitForName(BusNames.Service);

        var coldplug = Task.Run(() => gate.Coldplug(100), TestContext.Current.CancellationToken);
        Assert.True(slow.Entered.Wait(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken), "coldplug never reached the bind");
        try
        {
            // Each busctl call gives up after 5 s: these answer only if no read waits for the bind in progress.
            Assert.Equal(0, BoundCount());
            Assert.DoesNotContain("bound", States());
        }
        finally
        {
            slow.Release.Set();
            await coldplug;
        }
        Assert.Equal(1, BoundCount());
        Assert.Equal(["bound"], States());
    }

    public void Dispose()
    {
        _bus.Dispose();
        _tree.Dispose();
        Directory.Delete(_state, true);
        Directory.Delete(_policy, true);
    }
}
