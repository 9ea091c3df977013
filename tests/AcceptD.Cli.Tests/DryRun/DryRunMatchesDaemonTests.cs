using AcceptD.Core.Devices;
using AcceptD.Core.Drivers;
using AcceptD.Core.Planning;
using AcceptD.Core.Policy;
using AcceptD.Daemon;
using AcceptD.Os.State;
using AcceptD.Os.Sysfs;
using AcceptD.Os.Systemd;
using AcceptD.Testing;

namespace AcceptD.Cli.Tests.DryRun;

/// <summary>
/// Dry-run = daemon: for each shipped snapshot, the writes the daemon's coldplug makes (recorded by an
/// <see cref="OverlayKernel"/> over the snapshot) are exactly the writes the dry-run's plans name, in the same order.
/// </summary>
public sealed class DryRunMatchesDaemonTests : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("acceptd-dry-run-daemon-").FullName;

    [Theory]
    [InlineData("qemu-virtio-guest", 1)]
    [InlineData("firecracker-vm", 1)]
    [InlineData("qemu-virtio-guest", 4)]
    [InlineData("firecracker-vm", 4)]
    public void The_daemon_writes_what_the_dry_run_of_a_shipped_snapshot_plans(string name, int workers)
    {
        var snapshot = new FileInfo(Path.Combine(KernelTree.RepositoryRoot(), "tests", "data", "snapshots", name + ".tar.gz"));
        var host = HostContext.Open(null, snapshot, null);
        var settings = new GateSettings(EnforcementMode.Enforce, PreboundDenied.Report, false, false, _state, [CliRunner.ShippedPolicy],
            host.Modules.ModulesDir, Path.Combine(_state, "rules.d"))
        { Workers = workers };
        var policy = HostContext.LoadPolicy(settings.PolicyDirectories).Policy!;
        var analysis = HostAnalysis.Run(host, new DecisionPipeline(new PolicyEvaluator(policy), host.Modules, settings.PlannerOptions));
        var planned = Writes(host.Files, DecisionPipeline.StartSteps.Concat(analysis.Plans.SelectMany(p => p.Steps)));

        // Each module the plans load registers the driver they name, as the module index predicts.
        var registers = analysis.Plans.SelectMany(p => p.Steps.OfType<Bind>()).Select(b => (b.Device.Bus, b.Candidate))
            .DistinctBy(c => ModuleName.Normalise(c.Candidate.Module))
            .ToDictionary(c => ModuleName.Normalise(c.Candidate.Module), c => (c.Bus, c.Candidate.DriverOrModule));
        var kernel = new OverlayKernel(host.Files, registers);
        var parts = new GateParts(kernel, new PlanExecutor(kernel, kernel, kernel, new NoTsmSession()), host.Modules, new StateStore(_state),
            null, LoggingSetup.Create(useJournal: false, stderr: new StringWriter()), TimeProvider.System);
        using var gate = new Gate(settings, parts, policy, () => HostContext.LoadPolicy(settings.PolicyDirectories));
        gate.Coldplug(0);

        Assert.NotEmpty(planned);
        if (workers == 1) Assert.Equal(planned, kernel.Log);
        else Assert.Equal(planned.Order(StringComparer.Ordinal), kernel.Log.Order(StringComparer.Ordinal)); // the same writes, on several workers
    }

    /// <summary>The writes a dry-run's steps name, with autoprobe expanded as at boot: every bus at 1 until zeroed.</summary>
    private static List<string> Writes(IFileView host, IEnumerable<PlanStep> steps)
    {
        var buses = host.List(SysfsLayout.Buses).Where(b => b != ZeroAutoprobe.ExemptBus && host.Read(SysfsLayout.Autoprobe(b)) is not null).ToList();
        var atOne = buses.ToHashSet();
        var writes = new List<string>();
        foreach (var step in steps)
        {
            switch (step)
            {
                case ZeroAutoprobe:
                    writes.AddRange(buses.Where(atOne.Contains).Select(b => $"{SysfsLayout.Autoprobe(b)} <- 0"));
                    atOne.Clear();
                    break;
                case LoadModule load: writes.Add($"load {load.Module}"); break;
                case SetOverride set: writes.Add($"{SysfsLayout.DriverOverride(set.Device)} <- {set.Value}"); break;
                case Unbind unbind: writes.Add($"{SysfsLayout.DriverUnbind(unbind.Device.Bus, unbind.Driver)} <- {unbind.Device.Name}"); break;
                case Bind bind:
                    var target = bind.HasBindFile == false ? SysfsLayout.DriversProbe(bind.Device.Bus) : SysfsLayout.DriverBind(bind.Device.Bus, bind.Candidate.DriverOrModule);
                    writes.Add($"{target} <- {bind.Device.Name}");
                    break;
                default: throw new InvalidOperationException($"no write model for {step.GetType().Name}");
            }
        }
        return writes;
    }

    public void Dispose() => Directory.Delete(_state, true);
}
