using AcceptD.Core.Drivers;
using AcceptD.Core.Planning;
using AcceptD.Core.Policy;
using AcceptD.Core.State;
using AcceptD.Daemon;
using AcceptD.Os.Measurement;
using AcceptD.Os.Modules;
using AcceptD.Os.State;
using AcceptD.Os.Sysfs;
using AcceptD.Os.Systemd;
using AcceptD.Os.Tsm;
using AcceptD.Testing.TsmSimulator;

namespace AcceptD.Cli.Tests.Daemon;

/// <summary>
/// The whole TDISP path through the daemon: policy tdisp rule → plan → lock, evidence, verify, accept on the guest-TSM
/// simulator (the same file writes and netlink bytes as a real kernel) → module load → bind, and the topology record.
/// </summary>
public sealed partial class GateTdispTests : IDisposable
{
    private const string Bdf = "0000:01:00.0", Module = "devsec_pci", PrepareModule = "prep_fw";
    private static readonly TestDeviceEvidence Good = TestDeviceEvidence.Create();
    private readonly SimulatedKernel _kernel = new();
    private readonly string _state = Directory.CreateTempSubdirectory("acceptd-tdisp-state-").FullName;
    private readonly string _policy = Directory.CreateTempSubdirectory("acceptd-tdisp-policy-").FullName;
    private readonly StringWriter _log = new();

    public GateTdispTests()
    {
        Directory.CreateDirectory(_kernel.Root + "/proc/sys/kernel");
        File.WriteAllText(_kernel.Root + "/proc/sys/kernel/osrelease", "6.1.0-sim\n");
        Directory.CreateDirectory(_kernel.Root + "/lib/modules/6.1.0-sim");
        File.WriteAllText(_kernel.Root + "/lib/modules/6.1.0-sim/modules.alias", $"alias pci:v00008086d0000FFFFsv*sd*bc*sc*i* {Module}\n");
        File.WriteAllText(_kernel.Root + "/lib/modules/6.1.0-sim/modules.dep", $"kernel/{Module}.ko:\nkernel/{PrepareModule}.ko:\n");
        _kernel.AddDevice(Bdf, Good);
    }

    /// <summary>A tdisp rule for the device accepting the measurements of each of <paramref name="references"/> (same cert root).</summary>
    private void WritePolicy(params TestDeviceEvidence[] references) => WritePolicy("", references);

    /// <param name="keys">More keys for the tdisp rule ("prepare=…").</param>
    private void WritePolicy(string keys, params TestDeviceEvidence[] references)
    {
        var r = references[0].Reference();
        var measurements = string.Join(',', references.SelectMany(e => e.Reference().Measurements).Select(d => $"{d.Algorithm}:{d.Hex}"));
        File.WriteAllText(Path.Combine(_policy, "50-test.rules"),
            $"tdisp bus=pci id=8086:ffff {keys} measurements={measurements} certroot={r.CertRoot.Algorithm}:{r.CertRoot.Hex} reason=\"verified NIC\"\n" +
            "default deny reason=\"not verified\"\n");
    }

    /// <summary>
    /// Loading the module registers its (override-only) driver, as the devsec sample's driver does, at the trust= level
    /// the load passed (devsec-phase2: "auto" without one).
    /// </summary>
    private sealed class RegisteringLoader(SimulatedKernel kernel) : IModuleLoader
    {
        public List<string> Loaded { get; } = [];

        public List<string?> Parameters { get; } = [];

        public Exception? Failure { get; set; }

        public void Load(string module, string relativePath, string? parameters)
        {
            if (Failure is not null) throw Failure;
            Loaded.Add(module);
            Parameters.Add(parameters);
            var trust = parameters?.Split(' ').LastOrDefault(p => p.StartsWith("trust=", StringComparison.Ordinal))?["trust=".Length..];
            Register(kernel, module, trust ?? "auto");
        }

        public static void Register(SimulatedKernel kernel, string module, string trust = "auto")
        {
            if (Directory.Exists(kernel.Root + $"/sys/module/{module}")) return;
            kernel.AddDriver(module, overrideOnly: true, trust);
            Directory.CreateDirectory(kernel.Root + $"/sys/module/{module}/drivers");
            File.CreateSymbolicLink(kernel.Root + $"/sys/module/{module}/drivers/pci:{module}", $"../../../bus/pci/drivers/{module}");
        }
    }

    private (Gate Gate, RegisteringLoader Loader) NewGate()
    {
        var settings = new GateSettings(EnforcementMode.Enforce, PreboundDenied.Report, false, false, _state, [_policy],
            "/lib/modules/6.1.0-sim", Path.Combine(_state, "rules.d"))
        { Workers = 4 }; // as on a 2-CPU guest and more
        var loader = new RegisteringLoader(_kernel);
        var executor = new PlanExecutor(_kernel.Files, _kernel, loader, new TsmSession(_kernel.Files, _kernel, () => _kernel));
        var policy = HostContext.LoadPolicy([_policy]);
        Assert.True(policy.Policy is not null, string.Join("\n", policy.Diagnostics));
        var parts = new GateParts(_kernel.Files, executor, ModuleIndex.Load(_kernel.Files, settings.ModulesDirectory), new StateStore(_state),
            new LocalMeasurementLog(new EventLogFile(Path.Combine(_state, "eventlog")), null, "test-boot", _ => { }), LoggingSetup.Create(useJournal: false, stderr: _log), TimeProvider.System);
        var gate = new Gate(settings, parts, policy.Policy!, () => HostContext.LoadPolicy([_policy]));
        return (gate, loader);
    }

    [Fact]
    public void A_device_with_good_evidence_is_locked_verified_accepted_and_only_then_bound()
    {
        WritePolicy(Good);
        var (gate, loader) = NewGate();
        gate.Coldplug(1);

        var record = gate.Find("pci/" + Bdf)!;
        Assert.True(record.State == DeviceState.Bound, record.Error + "\n" + _log);
        Assert.Equal(Module, _kernel[Bdf].Driver);
        Assert.True(_kernel[Bdf].Accepted);
        Assert.StartsWith("sha384:", record.EvidenceDigest);
        Assert.Equal([Module], loader.Loaded);
        var accept = _kernel.Log.FindIndex(l => l.Contains("tsm/accept <- 1", StringComparison.Ordinal));
        var bind = _kernel.Log.FindIndex(l => l.Contains($"drivers/{Module}/bind", StringComparison.Ordinal));
        Assert.True(accept >= 0 && accept < bind, string.Join("\n", _kernel.Log));
        Assert.Contains(record.EvidenceDigest!, gate.TopologyJson());
        Assert.Contains("signed by the leaf key over our nonce", record.TdispState);
    }

    [Fact]
    public void The_rules_prepare_driver_is_loaded_constrained_and_bound_and_unbound_before_the_lock_then_the_final_driver_binds()
    {
        WritePolicy($"prepare={PrepareModule}", Good);
        var (gate, loader) = NewGate();
        gate.Coldplug(1);

        var record = gate.Find("pci/" + Bdf)!;
        Assert.True(record.State == DeviceState.Bound, record.Error + "\n" + _log);
        Assert.Equal(Module, _kernel[Bdf].Driver);
        Assert.Equal([PrepareModule, Module], loader.Loaded);
        Assert.Equal(["trust=adversary", "trust=tcb"], loader.Parameters);
        int At(string text) => _kernel.Log.FindIndex(l => l.Contains(text, StringComparison.Ordinal));
        var (prepared, released, locked, bound) = (At($"drivers/{PrepareModule}/bind"), At($"drivers/{PrepareModule}/unbind"), At("tsm/lock <- "),
            At($"drivers/{Module}/bind"));
        Assert.True(prepared >= 0 && prepared < released && released < locked && locked < bound, string.Join("\n", _kernel.Log));
    }

    [Fact]
    public void Under_the_pci_tsm_family_the_device_state_says_the_TSM_vouches_for_freshness()
    {
        _kernel.Families = ["pci-tsm"];
        WritePolicy(Good);
        var (gate, _) = NewGate();
        gate.Coldplug(1);

        var record = gate.Find("pci/" + Bdf)!;
        Assert.True(record.State == DeviceState.Bound, record.Error + "\n" + _log);
        Assert.Contains("freshness vouched for by the TSM", record.TdispState);
    }

    [Fact]
    public void Evidence_that_does_not_match_the_rule_leaves_the_device_unbound_unlocked_and_pinned()
    {
        WritePolicy(Good.WithFirmware("fw-2.0")); // the rule expects other firmware measurements
        var (gate, loader) = NewGate();
        gate.Coldplug(1);

        var record = gate.Find("pci/" + Bdf)!;
        Assert.Equal(DeviceState.Failed, record.State);
        Assert.Contains("TDISP", record.Error);
        Assert.Null(_kernel[Bdf].Driver);
        Assert.Null(_kernel[Bdf].LockedBy);
        Assert.False(_kernel[Bdf].Accepted);
        Assert.Equal("none", _kernel[Bdf].Override);
        Assert.Empty(loader.Loaded); // the final driver's module is never loaded for a device that failed
        Assert.Null(record.EvidenceDigest);
    }

    public void Dispose()
    {
        _kernel.Dispose();
        Directory.Delete(_state, true);
        Directory.Delete(_policy, true);
    }
}
