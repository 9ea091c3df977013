using System.Collections.Immutable;

namespace AcceptD.Core.Tdisp;

/// <summary>
/// The message layout of one proposed guest evidence netlink family [P] (kernel-interfaces.md §4.5). Both shapes are
/// here and nowhere else; the adapter asks nlctrl for each in <see cref="Known"/> order and speaks the first the
/// kernel has. A null attribute or command is one the family does not have.
/// </summary>
public sealed record EvidenceFamily(
    string Name, byte Version, byte CmdRead, byte? CmdValidate,
    ushort AttrType, ushort AttrTypeMask, ushort AttrFlags, ushort? AttrSubsys, ushort AttrDevName, ushort AttrNonce,
    ushort? AttrGeneration, ushort? AttrLength, ushort AttrVal, int MaxNonce, FreshnessProof Freshness)
{
    /// <summary>Mask of object types 0–10 (CERT0..7, VCA, MEASUREMENTS, REPORT); the bit of a type is 1 &lt;&lt; type.</summary>
    public const uint AllTypes = 2047;
    public const int MaxLength = 16 << 20, MaxDevName = 31;

    /// <summary>
    /// "device-evidence" version 1 (devsec-phase2, 2026-07, include/uapi/linux/device-evidence.h). The nonce is the
    /// 32-byte SPDM nonce and the VCA and MEASUREMENTS objects are the SPDM transcript, so freshness is checked here.
    /// The validate command's number is not documented anywhere final [K]; 2 is the next free number.
    /// </summary>
    public static readonly EvidenceFamily DeviceEvidence = new("device-evidence", Version: 1, CmdRead: 1, CmdValidate: 2,
        AttrType: 1, AttrTypeMask: 2, AttrFlags: 3, AttrSubsys: 4, AttrDevName: 5, AttrNonce: 6,
        AttrGeneration: 7, AttrLength: 9, AttrVal: 10, MaxNonce: 32, FreshnessProof.SpdmSignature);

    /// <summary>
    /// "pci-tsm" (v2 series, 2026-03, Documentation/netlink/specs/pci-tsm.yaml): cmd EVIDENCE_READ = 1, no subsys, no
    /// generation or length (an object's VAL runs until the next TYPE or the end of the dump), no validate, a nonce of
    /// up to 256 bytes that is not the SPDM nonce. Its version number and type numbers are not documented [K]: taken
    /// as 1 and as device-evidence's. Nothing ties its measurements to our nonce: the TSM vouches for freshness.
    /// </summary>
    public static readonly EvidenceFamily PciTsm = new("pci-tsm", Version: 1, CmdRead: 1, CmdValidate: null,
        AttrType: 1, AttrTypeMask: 2, AttrFlags: 3, AttrSubsys: null, AttrDevName: 4, AttrNonce: 5,
        AttrGeneration: null, AttrLength: null, AttrVal: 6, MaxNonce: 256, FreshnessProof.VouchedForByTsm);

    /// <summary>Newest first: a kernel offering both is asked through the family that can prove freshness.</summary>
    public static readonly ImmutableArray<EvidenceFamily> Known = [DeviceEvidence, PciTsm];
}
