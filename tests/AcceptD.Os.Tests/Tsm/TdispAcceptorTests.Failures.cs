using System.Collections.Immutable;
using AcceptD.Core.Policy;
using AcceptD.Core.Tdisp;
using AcceptD.Os.Sysfs;
using AcceptD.Testing.TsmSimulator;

namespace AcceptD.Os.Tests.Tsm;

/// <summary>The acceptor when the kernel refuses, the device changes or goes, or the daemon restarts mid-sequence: it fails closed.</summary>
public sealed partial class TdispAcceptorTests
{
    [Fact]
    public void Lock_held_by_another_tsm_is_released_and_refused()
    {
        using var rig = new TdispRig();
        rig.Kernel.AddTsm("tsm2", "devsec");
        rig.Device.LockedBy = "tsm2";
        rig.Kernel.BindBehindOurBack(TdispRig.Bdf, TdispRig.Rogue); // resync files
        rig.Kernel.Write($"/sys/bus/pci/drivers/{TdispRig.Rogue}/unbind", TdispRig.Bdf);
        var outcome = rig.Run();

        Assert.False(outcome.Accepted);
        Assert.Equal("locked by tsm2, not by tsm1", outcome.Reason);
        rig.AssertFailedClosed();
    }

    [Theory]
    [InlineData("tsm2", "tsm/lock reads tsm2 after AcceptD wrote tsm1 to it")]
    [InlineData("", "tsm/lock reads empty after AcceptD wrote tsm1 to it")]
    public void A_lock_that_does_not_read_back_the_tsm_written_is_refused_before_any_evidence_is_read(string readBack, string reason)
    {
        using var rig = new TdispRig();
        rig.Kernel.AddTsm("tsm2", "devsec");
        rig.Kernel.AfterOperation = (_, what) => // a forged tsm/lock: it reads back something other than what was written
        {
            if (what.EndsWith("tsm/lock <- tsm1", StringComparison.Ordinal))
                File.WriteAllText(rig.Kernel.Root + rig.Device.Path + "/tsm/lock", readBack + "\n");
        };
        var outcome = rig.Run();

        Assert.False(outcome.Accepted);
        Assert.StartsWith(reason, outcome.Reason);
        Assert.DoesNotContain(rig.Kernel.Log, l => l.Contains("cmd 1 ", StringComparison.Ordinal) || l.Contains("tsm/accept", StringComparison.Ordinal));
        Assert.Equal("none", rig.Device.Override);
    }

    [Fact]
    public void Evidence_other_than_the_topology_lock_recorded_is_a_violation_and_the_accept_is_taken_back()
    {
        using var rig = new TdispRig();
        var acceptor = new Os.Tsm.TdispAcceptor(rig.Adapter());
        Assert.True(acceptor.Run(rig.Kernel.Device(TdispRig.Bdf), rig.Evidence.Reference(), TdispRig.Final, stopBeforeBind: true).Accepted); // the accept phase
        var outcome = acceptor.Run(rig.Kernel.Device(TdispRig.Bdf), rig.Evidence.Reference(), TdispRig.Final, lockedEvidence: "sha384:00");

        Assert.False(outcome.Accepted);
        Assert.True(outcome.Violation);
        Assert.EndsWith("is not sha384:00, the evidence recorded when the topology was locked", outcome.Reason);
        rig.AssertFailedClosed();
    }

    [Theory]
    [InlineData(Errno.EBUSY, "lock refused: EBUSY (device already locked or a driver is bound)")]
    [InlineData(Errno.ENXIO, "lock refused: ENXIO (not a devsec TSM)")]
    public void Lock_refused_by_the_kernel_fails_closed(int errno, string reason)
    {
        using var rig = new TdispRig();
        rig.Kernel.TsmRefusals["tsm/lock"] = errno;
        var outcome = rig.Run();

        Assert.False(outcome.Accepted);
        Assert.StartsWith(reason, outcome.Reason);
        rig.AssertFailedClosed();
    }

    [Fact]
    public void Accept_refused_unlocks_and_pins()
    {
        using var rig = new TdispRig();
        rig.Kernel.TsmRefusals["tsm/accept"] = 5;
        var outcome = rig.Run();

        Assert.False(outcome.Accepted);
        Assert.StartsWith("accept refused: EIO (the TSM refused START_INTERFACE)", outcome.Reason);
        Assert.StartsWith("sha384:", outcome.EvidenceDigest);
        rig.AssertFailedClosed();
    }

    [Fact]
    public void Config_change_while_locked_ends_in_error_and_fails_closed()
    {
        using var rig = new TdispRig();
        var changed = false;
        rig.Kernel.AfterOperation = (_, what) =>
        {
            if (what.Contains("cmd 1 ") && !changed) { changed = true; rig.Kernel.ChangeConfig(TdispRig.Bdf); }
        };
        var outcome = rig.Run();

        Assert.False(outcome.Accepted);
        Assert.StartsWith("accept refused: EIO", outcome.Reason);
        rig.AssertFailedClosed();
        Assert.False(rig.Device.Error);
    }

    [Fact]
    public void Device_removed_mid_sequence_fails()
    {
        using var rig = new TdispRig();
        rig.Kernel.AfterOperation = (_, what) => { if (what.Contains("tsm/lock")) rig.Kernel.Remove(TdispRig.Bdf); };
        var outcome = rig.Run();

        Assert.False(outcome.Accepted);
        Assert.StartsWith("device removed", outcome.Reason);
    }

    [Fact]
    public void Driver_bound_behind_our_back_is_unbound_unlocked_and_pinned()
    {
        using var rig = new TdispRig();
        rig.Kernel.AfterOperation = (_, what) =>
        {
            if (what.Contains("cmd 1 ")) rig.Kernel.BindBehindOurBack(TdispRig.Bdf, TdispRig.Rogue);
        };
        var outcome = rig.Run();

        Assert.False(outcome.Accepted);
        Assert.Equal("driver rogue bound before the device was accepted", outcome.Reason);
        rig.AssertFailedClosed();
        Assert.Equal(-1, IndexOf(rig, "tsm/accept"));
    }

    [Fact]
    public void Prepare_driver_runs_before_the_lock()
    {
        using var rig = new TdispRig();
        var outcome = rig.Run(prepare: TdispRig.Prepare);

        Assert.True(outcome.Accepted, outcome.Reason);
        var (bind, unbind, lockAt) = (IndexOf(rig, $"drivers/{TdispRig.Prepare}/bind"), IndexOf(rig, $"drivers/{TdispRig.Prepare}/unbind"), IndexOf(rig, "tsm/lock"));
        Assert.True(bind >= 0 && bind < unbind && unbind < lockAt, string.Join("\n", rig.Kernel.Log));
    }

    [Fact]
    public void Missing_evidence_family_fails_closed()
    {
        using var rig = new TdispRig();
        rig.Kernel.Families = [];
        var outcome = rig.Run();

        Assert.False(outcome.Accepted);
        Assert.Equal("readevidence refused: ENOENT (the kernel has no evidence netlink family): no evidence netlink family: neither device-evidence nor pci-tsm is registered", outcome.Reason);
        rig.AssertFailedClosed();
    }

    [Fact]
    public void Kernel_without_validate_still_accepts()
    {
        using var rig = new TdispRig();
        rig.Kernel.ValidateSupported = false;
        Assert.True(rig.Run().Accepted);
    }

    [Fact]
    public void Guest_without_devsec_tsm_pins_the_device()
    {
        using var rig = new TdispRig();
        File.WriteAllText(rig.Kernel.Root + "/sys/class/tsm/tsm1/pci_mode", "none\n");
        var outcome = rig.Run();

        Assert.False(outcome.Accepted);
        Assert.Equal("no TSM with pci_mode devsec in /sys/class/tsm", outcome.Reason);
        rig.AssertFailedClosed();
    }

    public static TheoryData<bool, string?> RestartCases => new()
    {
        { true, null }, { true, TdispRig.Prepare }, { false, null }, { false, TdispRig.Prepare },
    };

    /// <summary>
    /// Kills the acceptor right after each kernel operation of a full run and starts a new one on the same simulated
    /// state. Invariant at every bind of the final driver: the device is accepted, and the running acceptor has read
    /// evidence itself since it started. Good evidence always ends accepted; bad evidence never binds.
    /// </summary>
    [Theory]
    [MemberData(nameof(RestartCases))]
    public void Restart_after_every_step_never_binds_without_verified_accept(bool goodEvidence, string? prepare)
    {
        int total;
        using (var clean = new TdispRig()) { clean.Run(Reference(clean, goodEvidence), prepare); total = clean.Kernel.Operations; }
        Assert.True(total >= 5);

        for (var crashAt = 1; crashAt <= total; crashAt++)
        {
            using var rig = new TdispRig();
            var readThisRun = false;
            var violations = new List<string>();
            rig.Kernel.AfterOperation = (_, what) =>
            {
                if (what.Contains("cmd 1 ") && rig.Device.LockedBy is not null) readThisRun = true;
                if (what.Contains($"drivers/{TdispRig.Final}/bind") && (!goodEvidence || !rig.Device.Accepted || !readThisRun))
                    violations.Add($"crash at {crashAt}: bind without verified accept");
            };
            rig.Kernel.CrashAfter = crashAt;
            var crashed = Record.Exception(() => rig.Run(Reference(rig, goodEvidence), prepare));
            Assert.IsType<SimulatedCrash>(crashed);

            rig.Kernel.CrashAfter = null;
            readThisRun = false;
            var outcome = rig.Run(Reference(rig, goodEvidence), prepare);

            Assert.Empty(violations);
            Assert.True(goodEvidence == outcome.Accepted, $"crash at {crashAt}: {outcome.Reason}");
            if (goodEvidence) Assert.Equal(TdispRig.Final, rig.Device.Driver);
            else rig.AssertFailedClosed();
        }
    }

}
