using System.Collections.Immutable;
using AcceptD.Core.State;
using AcceptD.Core.Uevents;
using AcceptD.Daemon;

namespace AcceptD.Cli.Tests.Daemon;

/// <summary>
/// A device matching a tdisp rule that something other than this boot's AcceptD bound (before start, by a hot-add,
/// while no daemon ran) is not trusted for being bound: it is unbound, pinned and taken through the whole sequence.
/// </summary>
public sealed partial class GateTdispTests
{
    [Fact]
    public void A_tdisp_device_bound_before_start_is_unbound_and_verified_before_it_is_bound_again()
    {
        WritePolicy(Good);
        RegisteringLoader.Register(_kernel, Module);
        _kernel.BindBehindOurBack(Bdf, Module);
        var (gate, _) = NewGate();
        gate.Coldplug(1);

        AssertVerifiedAfterUnbind(gate.Find("pci/" + Bdf)!, Bdf);
    }

    [Fact]
    public void A_tdisp_device_bound_by_a_hot_add_is_unbound_and_verified_before_it_is_bound_again()
    {
        const string HotAdded = "0000:02:00.0";
        WritePolicy(Good);
        var (gate, _) = NewGate();
        gate.Coldplug(1);
        _kernel.AddDevice(HotAdded, Good);
        RegisteringLoader.Register(_kernel, Module);
        _kernel.BindBehindOurBack(HotAdded, Module); // a PCI hot-add probes drivers whatever autoprobe says
        gate.Handle(new Uevent("add", "/devices/pci0000:00/" + HotAdded, "pci", 2, ImmutableDictionary<string, string>.Empty));

        AssertVerifiedAfterUnbind(gate.Find("pci/" + HotAdded)!, HotAdded);
    }

    [Fact]
    public void A_tdisp_device_bound_while_no_daemon_ran_is_unbound_and_verified_by_the_next_daemon()
    {
        WritePolicy(Good.WithFirmware("fw-2.0"));
        var (first, _) = NewGate();
        first.Coldplug(1);
        first.Dispose();
        Assert.Null(_kernel[Bdf].Driver); // failed and pinned
        _kernel[Bdf].Override = null;
        RegisteringLoader.Register(_kernel, Module);
        _kernel.BindBehindOurBack(Bdf, Module); // root, between the two daemons
        WritePolicy(Good);
        _kernel.Log.Clear();

        var (second, _) = NewGate();
        second.Coldplug(2);

        AssertVerifiedAfterUnbind(second.Find("pci/" + Bdf)!, Bdf);
    }

    [Fact]
    public void A_device_this_boots_daemon_verified_stays_bound_across_a_restart_without_new_writes()
    {
        WritePolicy(Good);
        var (first, _) = NewGate();
        first.Coldplug(1);
        first.Dispose();
        _kernel.Log.Clear();

        var (second, _) = NewGate();
        second.Coldplug(2);

        Assert.Equal(DeviceState.Bound, second.Find("pci/" + Bdf)!.State);
        Assert.Empty(_kernel.Log);
    }

    [Fact]
    public void A_verified_device_whose_tsm_lock_names_another_tsm_is_unbound_pinned_and_taken_through_the_sequence()
    {
        WritePolicy(Good);
        var (first, _) = NewGate();
        first.Coldplug(1);
        first.Dispose();
        _kernel.AddTsm("tsm2", "devsec");
        _kernel[Bdf].LockedBy = "tsm2"; // still bound and accepted, but the lock is not the one AcceptD wrote
        _kernel.BindBehindOurBack(Bdf, Module); // resyncs the sysfs files
        _kernel.Log.Clear();

        var (second, _) = NewGate();
        second.Coldplug(2);

        var record = second.Find("pci/" + Bdf)!;
        Assert.Equal(DeviceState.Failed, record.State);
        Assert.Contains("locked by tsm2, not by tsm1", record.Error);
        Assert.Contains(_kernel.Log, l => l.Contains($"drivers/{Module}/unbind <- {Bdf}", StringComparison.Ordinal));
        Assert.Equal("none", _kernel[Bdf].Override);
        Assert.Null(_kernel[Bdf].LockedBy); // the sequence released the foreign lock

        Assert.True(second.ReloadPolicy().Ok); // tried again: locked by the guest TSM, verified, accepted, bound
        Assert.Equal(DeviceState.Bound, second.Find("pci/" + Bdf)!.State);
        Assert.Equal("tsm1", _kernel[Bdf].LockedBy);
    }

    [Fact]
    public void An_evidence_digest_in_the_state_without_the_measured_accept_is_not_trusted()
    {
        WritePolicy(Good);
        var (first, _) = NewGate();
        first.Coldplug(1);
        first.Dispose();
        File.Delete(Path.Combine(_state, "eventlog")); // the state file alone claims the verification
        _kernel.Log.Clear();

        var (second, _) = NewGate();
        second.Coldplug(2);

        Assert.Contains(_kernel.Log, l => l.Contains($"drivers/{Module}/unbind <- {Bdf}", StringComparison.Ordinal));
        Assert.Equal(DeviceState.Bound, second.Find("pci/" + Bdf)!.State);
    }

    [Fact]
    public void An_accepted_device_whose_module_fails_to_load_is_unlocked_and_pinned()
    {
        WritePolicy(Good);
        var (gate, loader) = NewGate();
        loader.Failure = new AcceptD.Os.Modules.ModuleLoadException(Module, 8, "Exec format error");
        gate.Coldplug(1);

        var record = gate.Find("pci/" + Bdf)!;
        Assert.Equal(DeviceState.Failed, record.State);
        Assert.Contains("taken back", record.Error);
        Assert.Null(_kernel[Bdf].LockedBy);
        Assert.False(_kernel[Bdf].Accepted);
        Assert.Equal("none", _kernel[Bdf].Override);
    }

    [Fact]
    public void A_failed_device_is_not_locked_again_on_rescans_until_the_policy_is_reloaded()
    {
        WritePolicy(Good.WithFirmware("fw-2.0"));
        var (gate, _) = NewGate();
        gate.Coldplug(1);
        _kernel.Log.Clear();
        gate.Rescan("pending devices", eventsLost: false);
        gate.Rescan("pending devices", eventsLost: false);
        Assert.Empty(_kernel.Log);
        Assert.Equal(DeviceState.Failed, gate.Find("pci/" + Bdf)!.State);

        WritePolicy(Good);
        Assert.True(gate.ReloadPolicy().Ok);
        Assert.Equal(DeviceState.Bound, gate.Find("pci/" + Bdf)!.State);
    }

    private void AssertVerifiedAfterUnbind(DeviceRecord record, string bdf)
    {
        Assert.True(record.State == DeviceState.Bound, record.Error + "\n" + _log);
        Assert.StartsWith("sha384:", record.EvidenceDigest);
        Assert.True(_kernel[bdf].Accepted);
        Assert.Equal(Module, _kernel[bdf].Driver);
        var unbind = _kernel.Log.FindIndex(l => l.Contains($"drivers/{Module}/unbind <- {bdf}", StringComparison.Ordinal));
        var pin = _kernel.Log.FindIndex(l => l.Contains($"{bdf}/driver_override <- none", StringComparison.Ordinal));
        var lockAt = _kernel.Log.FindIndex(l => l.Contains($"{bdf}/tsm/lock <- ", StringComparison.Ordinal));
        Assert.True(unbind >= 0 && unbind < pin && pin < lockAt, string.Join("\n", _kernel.Log));
    }
}
