namespace AcceptD.Core.Tdisp;

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
