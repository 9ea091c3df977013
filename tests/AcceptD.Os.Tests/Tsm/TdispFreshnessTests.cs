using AcceptD.Core.Tdisp;
using AcceptD.Testing.TsmSimulator;

namespace AcceptD.Os.Tests.Tsm;

/// <summary>Freshness of the measurements and the two evidence families, end to end through the acceptor.</summary>
public sealed class TdispFreshnessTests
{
    [Fact]
    public void DeviceEvidenceKernelIsAcceptedOnlyWithASignatureOverOurNonce()
    {
        using var rig = new TdispRig();
        var outcome = rig.Run();

        Assert.True(outcome.Accepted, outcome.Reason);
        Assert.Contains("signed by the leaf key over our nonce", outcome.Reason);
    }

    [Fact]
    public void AReplayedExchangeIsRejectedAndTheDeviceLeftClosed()
    {
        using var rig = new TdispRig();
        rig.Device.ReplayMeasurements = true; // answers every refresh with what it measured at lock time

        var outcome = rig.Run();

        Assert.False(outcome.Accepted);
        Assert.Contains("evidence rejected: measurements not fresh: the request's nonce", outcome.Reason);
        Assert.Contains("(replayed response)", outcome.Reason);
        rig.AssertFailedClosed();
    }

    [Fact]
    public void UnsignedMeasurementsAreRejected()
    {
        using var rig = new TdispRig();
        rig.Device.SignMeasurements = false;

        var outcome = rig.Run();

        Assert.False(outcome.Accepted);
        Assert.Contains("measurements not fresh: no signed GET_MEASUREMENTS request", outcome.Reason);
        rig.AssertFailedClosed();
    }

    [Fact]
    public void AP256DeviceIsAccepted()
    {
        using var rig = new TdispRig(TestDeviceEvidence.Create("P256", shape: new ChainShape(P256Leaf: true)));

        Assert.True(rig.Run().Accepted);
    }

    [Fact]
    public void PciTsmKernelIsDetectedAndItsFreshnessIsVouchedForByTheTsm()
    {
        using var rig = new TdispRig();
        rig.Kernel.Families = ["pci-tsm"];

        var outcome = rig.Run();

        Assert.True(outcome.Accepted, outcome.Reason);
        Assert.Contains("freshness vouched for by the TSM", outcome.Reason);
        Assert.Contains(rig.Kernel.Log, l => l.StartsWith("netlink family 30 cmd 1 ", StringComparison.Ordinal)); // pci-tsm id 0x1e
        Assert.DoesNotContain(rig.Kernel.Log, l => l.StartsWith("netlink family 29 ", StringComparison.Ordinal));
    }

    [Fact]
    public void AKernelWithBothFamiliesIsAskedThroughDeviceEvidence()
    {
        using var rig = new TdispRig();
        rig.Kernel.Families = ["pci-tsm", "device-evidence"];

        var outcome = rig.Run();

        Assert.True(outcome.Accepted, outcome.Reason);
        Assert.Contains("signed by the leaf key over our nonce", outcome.Reason);
    }

    [Fact]
    public void PciTsmEvidenceStillHasToMatchTheReference()
    {
        using var rig = new TdispRig();
        rig.Kernel.Families = ["pci-tsm"];

        var outcome = rig.Run(rig.Evidence.WithFirmware("fw-evil").Reference());

        Assert.False(outcome.Accepted);
        Assert.Contains("match none of the 1 reference value(s)", outcome.Reason);
        rig.AssertFailedClosed();
    }
}
