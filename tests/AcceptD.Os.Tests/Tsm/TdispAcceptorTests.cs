using System.Collections.Immutable;
using AcceptD.Core.Policy;
using AcceptD.Core.Tdisp;
using AcceptD.Os.Sysfs;
using AcceptD.Testing.TsmSimulator;

namespace AcceptD.Os.Tests.Tsm;

/// <summary>The TDISP acceptor against the guest-TSM simulator: what it verifies before accept.</summary>
public sealed partial class TdispAcceptorTests
{
    private static int IndexOf(TdispRig rig, string fragment) => rig.Kernel.Log.FindIndex(l => l.Contains(fragment, StringComparison.Ordinal));

    [Fact]
    public void Good_device_is_locked_verified_accepted_and_bound()
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
    public void The_accept_phase_stops_before_the_final_bind()
    {
        using var rig = new TdispRig();
        var outcome = new Os.Tsm.TdispAcceptor(rig.Adapter()).Run(rig.Kernel.Device(TdispRig.Bdf), rig.Evidence.Reference(), TdispRig.Final,
            stopBeforeBind: true);

        Assert.True(outcome.Accepted, outcome.Reason);
        Assert.True(rig.Device.Accepted);
        Assert.Null(rig.Device.Driver);
    }

    [Fact]
    public void Evidence_digest_is_stable_across_reads_with_fresh_nonces()
    {
        using var rig = new TdispRig();
        var first = rig.Run();
        var second = rig.Run(); // already bound: re-reads, re-verifies, changes nothing

        Assert.True(second.Accepted, second.Reason);
        Assert.Equal(first.EvidenceDigest, second.EvidenceDigest);
        Assert.DoesNotContain(rig.Kernel.Log.Skip(IndexOf(rig, $"drivers/{TdispRig.Final}/bind") + 1), l => l.StartsWith("/sys"));
    }

    [Fact]
    public void Wrong_measurement_is_rejected_before_accept()
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
    public void Any_of_several_measurements_is_accepted()
    {
        using var rig = new TdispRig();
        var reference = rig.Evidence.Reference();
        var other = rig.Evidence.WithFirmware("fw-0.9").Reference().Measurements[0];
        var outcome = rig.Run(reference with { Measurements = [other, reference.Measurements[0]] });

        Assert.True(outcome.Accepted, outcome.Reason);
    }

    [Fact]
    public void Wrong_cert_root_is_rejected()
    {
        using var rig = new TdispRig();
        var otherVendor = TestDeviceEvidence.Create("Other Vendor");
        var outcome = rig.Run(rig.Evidence.Reference() with { CertRoot = otherVendor.Reference().CertRoot });

        Assert.False(outcome.Accepted);
        Assert.Contains("cert root sha256:", outcome.Reason);
        rig.AssertFailedClosed();
    }

    [Fact]
    public void Chain_with_a_foreign_leaf_is_rejected()
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
    public void Wrong_interface_report_is_rejected()
    {
        using var rig = new TdispRig();
        var outcome = rig.Run(rig.Evidence.Reference() with { Report = DigestHashing.Of("sha384", "other"u8) });

        Assert.False(outcome.Accepted);
        Assert.Contains("interface report sha384:", outcome.Reason);
        rig.AssertFailedClosed();
    }

    [Fact]
    public void Evidence_changing_mid_read_is_read_again()
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
    public void Evidence_that_keeps_changing_fails_with_eagain()
    {
        using var rig = new TdispRig();
        rig.Kernel.EvidenceDisturbances = 100;
        rig.Kernel.DatagramSize = 600;
        var outcome = rig.Run();

        Assert.False(outcome.Accepted);
        Assert.Contains("readevidence refused: EAGAIN (evidence kept changing while it was read): evidence updated during read", outcome.Reason);
        rig.AssertFailedClosed();
    }

    private static TdispEvidence Reference(TdispRig rig, bool good) =>
        good ? rig.Evidence.Reference() : rig.Evidence.Reference() with { Measurements = ImmutableArray.Create(DigestHashing.Of("sha384", "x"u8)) };
}
