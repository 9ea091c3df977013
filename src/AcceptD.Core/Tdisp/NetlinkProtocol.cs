namespace AcceptD.Core.Tdisp;

/// <summary>Netlink and generic netlink wire numbers (include/uapi/linux/netlink.h, genetlink.h) [U].</summary>
public static class NetlinkProtocol
{
    public const int HeaderSize = 16, GenlHeaderSize = 4, AttributeHeaderSize = 4;
    public const ushort NlmsgError = 2, NlmsgDone = 3;
    public const ushort FlagRequest = 0x1, FlagMulti = 0x2, FlagAck = 0x4, FlagDump = 0x300;
    /// <summary>In NLMSG_ERROR: the original request is cut to its header / extack TLVs follow.</summary>
    public const ushort FlagCapped = 0x100, FlagAckTlvs = 0x200;
    public const ushort NlmsgerrAttrMsg = 1;

    public const ushort GenlIdCtrl = 0x10;
    public const byte CtrlCmdNewFamily = 1, CtrlCmdGetFamily = 3;
    public const ushort CtrlAttrFamilyId = 1, CtrlAttrFamilyName = 2;

    public static int Align(int length) => (length + 3) & ~3;
}
