using AcceptD.Core.Topology;

namespace AcceptD.Core.Measurement;

/// <summary>
/// A topology event as measured: the AAEL entry "&lt;domain&gt; &lt;operation&gt; &lt;content&gt;" whose content is
/// RFC 8785 JSON {boot_id?, device?, register, seq, topology_digest}. boot_id (the kernel's random boot id) ties every
/// entry to one boot; it is left out when the register must replay to a value computed ahead of time (a plain PCR
/// policy), since it differs on every boot. seq numbers entries from 1 without gaps, register names where the entry was extended
/// ("rtmr3", "tpm2-pcr23", "attestation-agent", or "none" when no register exists).
/// </summary>
public sealed record MeasuredEvent(long Seq, string? BootId, string Register, TopologyEvent Event)
{
    public const string Domain = "org.acceptd";

    public string Content
    {
        get
        {
            var fields = new Dictionary<string, object?>
            {
                ["seq"] = Seq,
                ["register"] = Register,
                ["topology_digest"] = Event.TopologyDigest,
            };
            if (BootId is not null) fields["boot_id"] = BootId;
            if (Event.Device is { } device) fields["device"] = DeviceClaims(device);
            return CanonicalJson.Serialize(fields);
        }
    }

    public string Text => $"{Domain} {Event.Operation} {Content}";

    private static Dictionary<string, object?> DeviceClaims(TopologyEntry device)
    {
        var claims = new Dictionary<string, object?>
        {
            ["name"] = TopologyEvent.SubmoduleName(device),
            ["path"] = device.Path,
        };
        var ids = device.Ids;
        if (ids.Id is { } id) claims["id"] = id;
        if (ids.SubsystemId is { } sub) claims["subsystem"] = sub;
        if (ids.Class is { } cls) claims["class"] = cls.ToString("x6");
        if (ids.Revision is { } rev) claims["revision"] = rev;
        if (device.Driver is { } driver) claims["driver"] = driver;
        if (device.EvidenceDigest is { } evidence) claims["evidence_digest"] = evidence;
        return claims;
    }
}
