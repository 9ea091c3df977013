using AcceptD.Core.Tdisp;
using AcceptD.Os.Sysfs;
using AcceptD.Os.Tsm;
using AcceptD.Testing.TsmSimulator;

namespace AcceptD.Os.Tests.Tsm;

/// <summary>
/// The simulator is as strict as the proposed kernel, so that a wrong adapter fails against it: requests it would
/// not process, the other family's layout, and binds in each TDISP state.
/// </summary>
public sealed class SimulatedKernelStrictnessTests
{
    private static byte[] Read(EvidenceFamily layout, ushort id, uint seq = 9) =>
        EvidenceCodec.Read(layout, id, seq, "pci", TdispRig.Bdf, EvidenceFamily.AllTypes, new byte[32]);

    private static NetlinkStatus Status(SimulatedKernel kernel) =>
        Assert.IsType<NetlinkStatus>(NetlinkDecoder.Decode(kernel.Receive(), out _).First());

    private static TdispRig LockedRig()
    {
        var rig = new TdispRig();
        rig.Adapter().Lock(rig.Kernel.Device(TdispRig.Bdf), "tsm1");
        return rig;
    }

    [Fact]
    public void ARequestWithoutNlmFRequestIsNotProcessed()
    {
        using var rig = LockedRig();
        var request = Read(EvidenceFamily.DeviceEvidence, 0x1d);
        request[6] &= 0xfe; // clear NLM_F_REQUEST

        rig.Kernel.Send(request);

        Assert.Equal(110, Assert.Throws<GenlTransportException>(() => rig.Kernel.Receive()).Errno); // nothing comes back
    }

    [Fact]
    public void AWrongVersionIsRefused()
    {
        using var rig = LockedRig();
        var request = Read(EvidenceFamily.DeviceEvidence, 0x1d);
        request[17] = 2;

        rig.Kernel.Send(request);

        var status = Status(rig.Kernel);
        Assert.Equal((Errno.EINVAL, "unsupported version"), (status.Errno, status.ExtAck));
    }

    [Fact]
    public void AnAttributeAboveTheRequestPolicyIsRefused()
    {
        using var rig = LockedRig();
        rig.Kernel.Families = ["pci-tsm"];
        var request = Read(EvidenceFamily.PciTsm, 0x1e);
        request[^34] = 6; // the nonce attribute's type byte: 6 is VAL in pci-tsm, not a request attribute

        rig.Kernel.Send(request);

        var status = Status(rig.Kernel);
        Assert.Equal((Errno.EINVAL, "Unknown attribute type 6"), (status.Errno, status.ExtAck));
    }

    [Fact]
    public void DeviceEvidenceNumbersSentToPciTsmAreRefused()
    {
        using var rig = LockedRig();
        rig.Kernel.Families = ["pci-tsm"];

        rig.Kernel.Send(Read(EvidenceFamily.DeviceEvidence, 0x1e)); // 6, the nonce there, is VAL in pci-tsm

        Assert.Equal(Errno.EINVAL, Status(rig.Kernel).Errno);
        rig.Kernel.Send(EvidenceCodec.Read(EvidenceFamily.DeviceEvidence, 0x1e, 10, "pci", TdispRig.Bdf, EvidenceFamily.AllTypes, []));
        Assert.Equal(Errno.ENODEV, Status(rig.Kernel).Errno); // 4 is DEV_NAME in pci-tsm: "pci"
    }

    [Fact]
    public void PciTsmNumbersSentToDeviceEvidenceNameNoProvider()
    {
        using var rig = LockedRig();

        rig.Kernel.Send(Read(EvidenceFamily.PciTsm, 0x1d)); // attribute 4 is SUBSYS in device-evidence: the BDF

        var status = Status(rig.Kernel);
        Assert.Equal((Errno.EOPNOTSUPP, "no evidence provider"), (status.Errno, status.ExtAck));
    }

    [Theory]
    [InlineData("unlocked", "auto", Errno.EBUSY)]
    [InlineData("unlocked", "adversary", 0)]
    [InlineData("locked", "adversary", Errno.EBUSY)]
    [InlineData("error", "auto", Errno.EBUSY)]
    [InlineData("run", "auto", 0)]
    public void BindFollowsTheTdispState(string state, string trust, int errno)
    {
        using var rig = new TdispRig();
        rig.Kernel.AddDriver("probe_me", overrideOnly: true, trust: trust);
        var adapter = rig.Adapter();
        var device = rig.Kernel.Device(TdispRig.Bdf);
        if (state != "unlocked") adapter.Lock(device, "tsm1");
        if (state == "run") adapter.Accept(device);
        if (state == "error") rig.Kernel.ChangeConfig(TdispRig.Bdf);
        rig.Kernel.Write(rig.Device.Path + "/driver_override", "probe_me");

        var error = Record.Exception(() => rig.Kernel.Write("/sys/bus/pci/drivers/probe_me/bind", TdispRig.Bdf));

        Assert.Equal(errno, (error as SysfsWriteException)?.Errno ?? 0);
        Assert.Equal(errno == 0 ? "probe_me" : null, rig.Device.Driver);
    }
}
