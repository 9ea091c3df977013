using AcceptD.Core.Tdisp;
using AcceptD.Testing.TsmSimulator;

namespace AcceptD.Core.Tests.Tdisp;

public sealed class GenlRequestTests
{
    [Fact]
    public void Encodes_headers_and_pads_attributes_to_four_bytes()
    {
        var bytes = new GenlRequest(0x1d, 0x301, 9, 1, 1).String(4, "pci").U32(2, 2047).Bytes(6, new byte[5]).ToArray();

        Assert.Equal(
            "30000000" + "1d00" + "0103" + "09000000" + "00000000" + "01010000" +
            "0800" + "0400" + "70636900" +
            "0800" + "0200" + "ff070000" +
            "0900" + "0600" + "0000000000" + "000000",
            Convert.ToHexStringLower(bytes));
    }

    [Fact]
    public void Evidence_read_request_is_what_the_kernel_expects()
    {
        var nonce = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var request = NetlinkWire.ParseRequest(EvidenceCodec.Read(EvidenceFamily.DeviceEvidence, 0x1d, 5, "pci", "0000:01:00.0", 2047, nonce));

        // Numbers from kernel-interfaces.md §4.5 (b), not from EvidenceFamily.
        Assert.Equal((ushort)0x1d, request.Type);
        Assert.Equal(0x301, request.Flags); // REQUEST | DUMP
        Assert.Equal(5u, request.Seq);
        Assert.Equal((1, 1), (request.Cmd, request.Version));
        Assert.Equal("pci", request.Str(4));
        Assert.Equal("0000:01:00.0", request.Str(5));
        Assert.Equal(2047u, request.U32(2));
        Assert.Equal(nonce, request.Attrs[6]);
    }

    [Fact]
    public void PciTsmReadRequestHasNoSubsysAndItsOwnNumbers()
    {
        var nonce = new byte[32];
        var request = NetlinkWire.ParseRequest(EvidenceCodec.Read(EvidenceFamily.PciTsm, 0x1e, 6, "pci", "0000:01:00.0", 2047, nonce));

        // Numbers from kernel-interfaces.md §4.5 (a): DEV_NAME=4, NONCE=5, TYPE_MASK=2.
        Assert.Equal((1, 1), (request.Cmd, request.Version));
        Assert.Equal(["0000:01:00.0"], new[] { request.Str(4) });
        Assert.Equal(nonce, request.Attrs[5]);
        Assert.Equal(2047u, request.U32(2));
        Assert.Equal(new ushort[] { 2, 4, 5 }, request.Attrs.Keys.Order());
        Assert.Null(EvidenceCodec.Validate(EvidenceFamily.PciTsm, 0x1e, 7, "pci", "0000:01:00.0", 1));
    }

    [Fact]
    public void Get_family_asks_nlctrl_with_an_ack()
    {
        var request = NetlinkWire.ParseRequest(EvidenceCodec.GetFamily(1, "device-evidence"));

        Assert.Equal(NetlinkProtocol.GenlIdCtrl, request.Type);
        Assert.Equal(NetlinkProtocol.FlagRequest | NetlinkProtocol.FlagAck, request.Flags);
        Assert.Equal(NetlinkProtocol.CtrlCmdGetFamily, request.Cmd);
        Assert.Equal("device-evidence", request.Str(NetlinkProtocol.CtrlAttrFamilyName));
    }
}
