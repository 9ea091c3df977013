namespace AcceptD.Core.Tdisp;

/// <summary>Requests of the device-evidence family and of nlctrl's family lookup, as bytes.</summary>
public static class DeviceEvidenceCodec
{
    public static byte[] GetFamily(uint seq, string name) =>
        new GenlRequest(NetlinkProtocol.GenlIdCtrl, NetlinkProtocol.FlagRequest | NetlinkProtocol.FlagAck, seq, NetlinkProtocol.CtrlCmdGetFamily, 1)
            .String(NetlinkProtocol.CtrlAttrFamilyName, name).ToArray();

    /// <summary>The family id from a CTRL_CMD_NEWFAMILY reply, null when absent.</summary>
    public static ushort? FamilyId(IEnumerable<NetlinkMessage> reply) =>
        reply.OfType<GenlMessage>().Select(m => m.Find(NetlinkProtocol.CtrlAttrFamilyId)?.U16).FirstOrDefault(id => id is not null);

    public static byte[] Read(ushort family, uint seq, string subsys, string device, uint typeMask, ReadOnlySpan<byte> nonce)
    {
        var request = new GenlRequest(family, NetlinkProtocol.FlagRequest | NetlinkProtocol.FlagDump, seq, DeviceEvidenceFamily.CmdRead, DeviceEvidenceFamily.Version)
            .String(DeviceEvidenceFamily.AttrSubsys, subsys)
            .String(DeviceEvidenceFamily.AttrDevName, device)
            .U32(DeviceEvidenceFamily.AttrTypeMask, typeMask);
        if (!nonce.IsEmpty) request.Bytes(DeviceEvidenceFamily.AttrNonce, nonce);
        return request.ToArray();
    }

    public static byte[] Validate(ushort family, uint seq, string subsys, string device, uint generation) =>
        new GenlRequest(family, NetlinkProtocol.FlagRequest | NetlinkProtocol.FlagAck, seq, DeviceEvidenceFamily.CmdValidate, DeviceEvidenceFamily.Version)
            .String(DeviceEvidenceFamily.AttrSubsys, subsys)
            .String(DeviceEvidenceFamily.AttrDevName, device)
            .U32(DeviceEvidenceFamily.AttrGeneration, generation)
            .ToArray();
}
