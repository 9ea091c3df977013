using System.Collections.Immutable;
using AcceptD.Core.State;
using AcceptD.Core.Uevents;
using AcceptD.Daemon;
using AcceptD.Testing.TsmSimulator;

namespace AcceptD.Cli.Tests.Daemon;

/// <summary>
/// After `acceptd lock` a TDISP device that disappears and comes back goes through the whole sequence again, and its
/// freshly verified evidence is compared with the digest locked for it: any difference is a violation.
/// </summary>
public sealed partial class GateTdispTests
{
    private const string DevPath = "/devices/pci0000:00/" + Bdf;

    /// <summary>Bound and verified with <see cref="Good"/>, topology locked, then hot-unplugged and hot-added with <paramref name="comingBack"/>.</summary>
    private (Gate Gate, string LockedDigest) LockThenReplace(TestDeviceEvidence comingBack)
    {
        WritePolicy(Good, Good.WithFirmware("fw-2.0")); // the rule accepts both firmware versions: only the lock tells them apart
        var (gate, _) = NewGate();
        gate.Coldplug(1);
        var locked = gate.Find("pci/" + Bdf)!.EvidenceDigest!;
        Assert.True(gate.LockTopology().Ok);
        _kernel.Remove(Bdf);
        gate.Handle(new Uevent("remove", DevPath, "pci", 2, ImmutableDictionary<string, string>.Empty));
        _kernel.AddDevice(Bdf, comingBack);
        _kernel.Log.Clear();
        gate.Handle(new Uevent("add", DevPath, "pci", 3, ImmutableDictionary<string, string>.Empty));
        return (gate, locked);
    }

    [Fact]
    public void After_the_lock_a_tdisp_device_that_comes_back_with_other_measurements_is_a_violation_and_never_accepted()
    {
        var (gate, locked) = LockThenReplace(Good.WithFirmware("fw-2.0"));

        var record = gate.Find("pci/" + Bdf)!;
        Assert.True(record.State == DeviceState.Violation, record.State + " " + record.Error + "\n" + _log);
        Assert.Contains($"is not {locked}, the evidence recorded when the topology was locked", record.Error);
        Assert.Contains(_kernel.Log, l => l.Contains($"{Bdf}/tsm/lock <- tsm1", StringComparison.Ordinal)); // the sequence ran again
        Assert.DoesNotContain(_kernel.Log, l => l.Contains("tsm/accept", StringComparison.Ordinal));
        Assert.Null(_kernel[Bdf].Driver);
        Assert.Null(_kernel[Bdf].LockedBy);
        Assert.Equal("none", _kernel[Bdf].Override);
        Assert.Contains("org.acceptd violation", File.ReadAllText(Path.Combine(_state, "eventlog"))); // measured
    }

    [Fact]
    public void After_the_lock_a_tdisp_device_refused_for_its_evidence_is_not_locked_again_on_rescans()
    {
        var (gate, _) = LockThenReplace(Good.WithFirmware("fw-2.0"));
        _kernel.Log.Clear();
        gate.Rescan("pending devices", eventsLost: false);

        Assert.Empty(_kernel.Log);
        Assert.Equal(DeviceState.Violation, gate.Find("pci/" + Bdf)!.State);
    }

    [Fact]
    public void After_the_lock_a_tdisp_device_that_comes_back_with_the_same_evidence_is_verified_afresh_and_bound_again()
    {
        var (gate, locked) = LockThenReplace(Good);

        var record = gate.Find("pci/" + Bdf)!;
        Assert.True(record.State == DeviceState.Bound, record.Error + "\n" + _log);
        Assert.Equal(locked, record.EvidenceDigest); // fresh nonces, same digest: it leaves out nonces and signatures
        Assert.Contains(_kernel.Log, l => l.Contains("tsm/accept <- 1", StringComparison.Ordinal));
        Assert.Equal(Module, _kernel[Bdf].Driver);
    }

    [Fact]
    public void After_the_lock_a_bound_tdisp_device_whose_accept_was_undone_and_whose_evidence_changed_is_a_violation()
    {
        WritePolicy(Good, Good.WithFirmware("fw-2.0"));
        var (gate, _) = NewGate();
        gate.Coldplug(1);
        Assert.True(gate.LockTopology().Ok);
        // Behind AcceptD's back: unbound, unlocked (accept undone), new firmware, bound again.
        _kernel.Write($"/sys/bus/pci/drivers/{Module}/unbind", Bdf);
        _kernel.Write($"/sys/devices/pci0000:00/{Bdf}/tsm/unlock", "tsm1");
        _kernel[Bdf].Evidence = Good.WithFirmware("fw-2.0");
        _kernel.BindBehindOurBack(Bdf, Module);
        gate.Rescan("test", eventsLost: false);

        var record = gate.Find("pci/" + Bdf)!;
        Assert.True(record.State == DeviceState.Violation, record.State + " " + record.Error); // not "denied": the lock refused it
        Assert.Null(_kernel[Bdf].Driver);
        Assert.Null(_kernel[Bdf].LockedBy);
    }
}
