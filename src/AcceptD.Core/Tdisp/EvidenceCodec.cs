namespace AcceptD.Core.Tdisp;

/// <summary>Requests of an <see cref="EvidenceFamily"/> and of nlctrl's family lookup, as bytes.</summary>
public static class EvidenceCodec
{
    public static byte[] GetFamily(uint seq, string name) =>
        new GenlRequest(NetlinkProtocol.GenlIdCtrl, NetlinkProtocol.FlagRequest | NetlinkProtocol.FlagAck, seq, NetlinkProtocol.CtrlCmdGetFamily, 1)
            .String(NetlinkProtocol.CtrlAttrFamilyName, name).ToArray();

    /// <summary>The family id from a CTRL_CMD_NEWFAMILY reply, null when absent.</summary>
    public static ushort? FamilyId(IEnumerable<NetlinkMessage> reply) =>
        reply.OfType<GenlMessage>().Select(m => m.Find(NetlinkProtocol.CtrlAttrFamilyId)?.U16).FirstOrDefault(id => id is not null);

    public static byte[] Read(EvidenceFamily family, ushort id, uint seq, string subsys, string device, uint typeMask, ReadOnlySpan<byte> nonce)
    {
        var request = new GenlRequest(id, NetlinkProtocol.FlagRequest | NetlinkProtocol.FlagDump, seq, family.CmdRead, family.Version);
        if (family.AttrSubsys is { } subsysAttr) request.String(subsysAttr, subsys);
        request.String(family.AttrDevName, device).U32(family.AttrTypeMask, typeMask);
        if (!nonce.IsEmpty) request.Bytes(family.AttrNonce, nonce);
        return request.ToArray();
    }

    /// <summary>Null when the family has no validate command.</summary>
    public static byte[]? Validate(EvidenceFamily family, ushort id, uint seq, string subsys, string device, uint generation) =>
        family is { CmdValidate: { } command, AttrSubsys: { } subsysAttr, AttrGeneration: { } generationAttr }
            ? new GenlRequest(id, NetlinkProtocol.FlagRequest | NetlinkProtocol.FlagAck, seq, command, family.Version)
                .String(subsysAttr, subsys)
                .String(family.AttrDevName, device)
                .U32(generationAttr, generation)
                .ToArray()
            : null;
}
