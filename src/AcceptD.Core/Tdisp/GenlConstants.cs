namespace AcceptD.Core.Tdisp;

/// <summary>Netlink and generic netlink wire numbers (include/uapi/linux/netlink.h, genetlink.h) [U].</summary>
public static class Netlink
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

/// <summary>
/// The "device-evidence" generic netlink family, version 1 [P] (devsec-phase2, include/uapi/linux/device-evidence.h).
/// The validate command's number is not documented anywhere final [K]; 2 is the next free number.
/// </summary>
public static class DeviceEvidenceFamily
{
    public const string Name = "device-evidence";
    public const byte Version = 1;
    public const byte CmdRead = 1, CmdValidate = 2;
    public const ushort AttrType = 1, AttrTypeMask = 2, AttrFlags = 3, AttrSubsys = 4, AttrDevName = 5, AttrNonce = 6,
        AttrGeneration = 7, AttrCount = 8, AttrLength = 9, AttrVal = 10;
    public const uint FlagDigest = 1;
    public const uint AllTypes = 2047;
    public const int MaxNonce = 32, MaxLength = 16 << 20, MaxDevName = 31;
}
