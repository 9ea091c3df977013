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
        var request = NetlinkWire.ParseRequest(DeviceEvidenceCodec.Read(0x1d, 5, "pci", "0000:01:00.0", 2047, nonce));

        Assert.Equal((ushort)0x1d, request.Type);
        Assert.Equal(0x301, request.Flags); // REQUEST | DUMP
        Assert.Equal(5u, request.Seq);
        Assert.Equal(DeviceEvidenceFamily.CmdRead, request.Cmd);
        Assert.Equal("pci", request.Str(DeviceEvidenceFamily.AttrSubsys));
        Assert.Equal("0000:01:00.0", request.Str(DeviceEvidenceFamily.AttrDevName));
        Assert.Equal(2047u, request.U32(DeviceEvidenceFamily.AttrTypeMask));
        Assert.Equal(nonce, request.Attrs[DeviceEvidenceFamily.AttrNonce]);
    }

    [Fact]
    public void Get_family_asks_nlctrl_with_an_ack()
    {
        var request = NetlinkWire.ParseRequest(DeviceEvidenceCodec.GetFamily(1, "device-evidence"));

        Assert.Equal(NetlinkProtocol.GenlIdCtrl, request.Type);
        Assert.Equal(NetlinkProtocol.FlagRequest | NetlinkProtocol.FlagAck, request.Flags);
        Assert.Equal(NetlinkProtocol.CtrlCmdGetFamily, request.Cmd);
        Assert.Equal("device-evidence", request.Str(NetlinkProtocol.CtrlAttrFamilyName));
    }
}
