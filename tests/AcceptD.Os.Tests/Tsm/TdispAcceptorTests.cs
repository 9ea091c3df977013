using AcceptD.Core.Policy;
using System.Collections.Immutable;
using AcceptD.Core.Tdisp;
using AcceptD.Os.Sysfs;
using AcceptD.Testing.TsmSimulator;

namespace AcceptD.Os.Tests.Tsm;

public sealed class TdispAcceptorTests
{
    private static int IndexOf(TdispRig rig, string fragment) => rig.Kernel.Log.FindIndex(l => l.Contains(fragment, StringComparison.Ordinal));

    [Fact]
    public void GoodDeviceIsLockedVerifiedAcceptedAndBound()
    {
        using var rig = new TdispRig();
        var outcome = rig.Run();

        Assert.True(outcome.Accepted, outcome.Reason);
        Assert.Equal(TdispRig.Final, rig.Device.Driver);
        Assert.Equal("tsm1", rig.Device.LockedBy);
        Assert.True(rig.Device.Accepted);
        Assert.StartsWith("sha384:", outcome.EvidenceDigest);
        var (lockAt, readAt, acceptAt, bindAt) = (IndexOf(rig, "tsm/lock <- tsm1"), IndexOf(rig, "cmd 1 "),
            IndexOf(rig, "tsm/accept <- 1"), IndexOf(rig, $"drivers/{TdispRig.Final}/bind"));
        Assert.True(lockAt >= 0 && lockAt < readAt && readAt < acceptAt && acceptAt < bindAt, string.Join("\n", rig.Kernel.Log));
    }

    [Fact]
    public void AcceptOnlyLeavesTheBindToTheCaller()
    {
        using var rig = new TdispRig();
        var outcome = new Os.Tsm.TdispAcceptor(rig.Adapter()).Run(rig.Kernel.Device(TdispRig.Bdf), rig.Evidence.Reference(), finalDriver: null);

        Assert.True(outcome.Accepted, outcome.Reason);
        Assert.True(rig.Device.Accepted);
        Assert.Null(rig.Device.Driver);
    }

    [Fact]
    public void EvidenceDigestIsStableAcrossReadsWithFreshNonces()
    {
        using var rig = new TdispRig();
        var first = rig.Run();
        var second = rig.Run(); // already bound: re-reads, re-verifies, changes nothing

        Assert.True(second.Accepted, second.Reason);
        Assert.Equal(first.EvidenceDigest, second.EvidenceDigest);
        Assert.DoesNotContain(rig.Kernel.Log.Skip(IndexOf(rig, $"drivers/{TdispRig.Final}/bind") + 1), l => l.StartsWith("/sys"));
    }

    [Fact]
    public void WrongMeasurementIsRejectedBeforeAccept()
    {
        using var rig = new TdispRig();
        var outcome = rig.Run(rig.Evidence.WithFirmware("fw-evil").Reference());

        Assert.False(outcome.Accepted);
        Assert.Contains("measurements sha384:", outcome.Reason);
        Assert.Contains("match none of the 1 reference value(s)", outcome.Reason);
        rig.AssertFailedClosed();
        Assert.Equal(-1, IndexOf(rig, "tsm/accept"));
    }

    [Fact]
    public void AnyOfSeveralMeasurementsIsAccepted()
    {
        using var rig = new TdispRig();
        var reference = rig.Evidence.Reference();
        var other = rig.Evidence.WithFirmware("fw-0.9").Reference().Measurements[0];
        var outcome = rig.Run(reference with { Measurements = [other, reference.Measurements[0]] });

        Assert.True(outcome.Accepted, outcome.Reason);
    }

    [Fact]
    public void WrongCertRootIsRejected()
    {
        using var rig = new TdispRig();
        var otherVendor = TestDeviceEvidence.Create("Other Vendor");
        var outcome = rig.Run(rig.Evidence.Reference() with { CertRoot = otherVendor.Reference().CertRoot });

        Assert.False(outcome.Accepted);
        Assert.Contains("cert root sha256:", outcome.Reason);
        rig.AssertFailedClosed();
    }

    [Fact]
    public void ChainWithAForeignLeafIsRejected()
    {
        var mine = TestDeviceEvidence.Chain("Mine").Certificates;
        var theirs = TestDeviceEvidence.Chain("Mine").Certificates; // same names, different keys
        var spliced = TestDeviceEvidence.ChainBlob([mine[0], mine[1], theirs[2]]);
        using var rig = new TdispRig(TdispRig.Shared.WithCertChain([.. spliced]));
        var outcome = rig.Run(rig.Evidence.Reference() with { CertRoot = DigestHashing.Of("sha384", mine[0]) });

        Assert.False(outcome.Accepted);
        Assert.Contains("certificate 2:", outcome.Reason);
        Assert.Contains("signature does not verify", outcome.Reason);
        rig.AssertFailedClosed();
    }

    [Fact]
    public void WrongInterfaceReportIsRejected()
    {
        using var rig = new TdispRig();
        var outcome = rig.Run(rig.Evidence.Reference() with { Report = DigestHashing.Of("sha384", "other"u8) });

        Assert.False(outcome.Accepted);
        Assert.Contains("interface report sha384:", outcome.Reason);
        rig.AssertFailedClosed();
    }

    [Fact]
    public void EvidenceChangingMidReadIsReadAgain()
    {
        using var rig = new TdispRig();
        rig.Kernel.EvidenceDisturbances = 1;
        rig.Kernel.ChunkSize = 200; // many messages, several datagrams
        rig.Kernel.DatagramSize = 600;
        var outcome = rig.Run();

        Assert.True(outcome.Accepted, outcome.Reason);
        Assert.Equal(2, rig.Kernel.Log.Count(l => l.Contains("cmd 1 ")));
    }

    [Fact]
    public void EvidenceThatKeepsChangingFailsWithEagain()
    {
        using var rig = new TdispRig();
        rig.Kernel.EvidenceDisturbances = 100;
        rig.Kernel.DatagramSize = 600;
        var outcome = rig.Run();

        Assert.False(outcome.Accepted);
        Assert.Contains("readevidence refused: EAGAIN (evidence kept changing while it was read): evidence updated during read", outcome.Reason);
        rig.AssertFailedClosed();
    }

    [Fact]
    public void LockHeldByAnotherTsmIsReleasedAndRefused()
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
    [InlineData(Errno.EBUSY, "lock refused: EBUSY (device already locked or a driver is bound)")]
    [InlineData(Errno.ENXIO, "lock refused: ENXIO (not a devsec TSM)")]
    public void LockRefusedByTheKernelFailsClosed(int errno, string reason)
    {
        using var rig = new TdispRig();
        rig.Kernel.TsmRefusals["tsm/lock"] = errno;
        var outcome = rig.Run();

        Assert.False(outcome.Accepted);
        Assert.StartsWith(reason, outcome.Reason);
        rig.AssertFailedClosed();
    }

    [Fact]
    public void AcceptRefusedUnlocksAndPins()
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
    public void ConfigChangeWhileLockedEndsInErrorAndFailsClosed()
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
    public void DeviceRemovedMidSequenceFails()
    {
        using var rig = new TdispRig();
        rig.Kernel.AfterOperation = (_, what) => { if (what.Contains("tsm/lock")) rig.Kernel.Remove(TdispRig.Bdf); };
        var outcome = rig.Run();

        Assert.False(outcome.Accepted);
        Assert.StartsWith("device removed", outcome.Reason);
    }

    [Fact]
    public void DriverBoundBehindOurBackIsUnboundUnlockedAndPinned()
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
    public void PrepareDriverRunsBeforeTheLock()
    {
        using var rig = new TdispRig();
        var outcome = rig.Run(prepare: TdispRig.Prepare);

        Assert.True(outcome.Accepted, outcome.Reason);
        var (bind, unbind, lockAt) = (IndexOf(rig, $"drivers/{TdispRig.Prepare}/bind"), IndexOf(rig, $"drivers/{TdispRig.Prepare}/unbind"), IndexOf(rig, "tsm/lock"));
        Assert.True(bind >= 0 && bind < unbind && unbind < lockAt, string.Join("\n", rig.Kernel.Log));
    }

    [Fact]
    public void MissingEvidenceFamilyFailsClosed()
    {
        using var rig = new TdispRig();
        rig.Kernel.Families = [];
        var outcome = rig.Run();

        Assert.False(outcome.Accepted);
        Assert.Equal("readevidence refused: ENOENT (the kernel has no evidence netlink family): no evidence netlink family: neither device-evidence nor pci-tsm is registered", outcome.Reason);
        rig.AssertFailedClosed();
    }

    [Fact]
    public void KernelWithoutValidateStillAccepts()
    {
        using var rig = new TdispRig();
        rig.Kernel.ValidateSupported = false;
        Assert.True(rig.Run().Accepted);
    }

    [Fact]
    public void GuestWithoutDevsecTsmPinsTheDevice()
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
    public void RestartAfterEveryStepNeverBindsWithoutVerifiedAccept(bool goodEvidence, string? prepare)
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

    private static TdispEvidence Reference(TdispRig rig, bool good) =>
        good ? rig.Evidence.Reference() : rig.Evidence.Reference() with { Measurements = ImmutableArray.Create(DigestHashing.Of("sha384", "x"u8)) };
}
