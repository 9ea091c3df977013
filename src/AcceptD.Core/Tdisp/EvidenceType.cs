namespace AcceptD.Core.Tdisp;

/// <summary>Object types of the device-evidence netlink family [P]; the request mask bit is 1 &lt;&lt; type.</summary>
public enum EvidenceType : uint
{
    Cert0 = 0, Cert1, Cert2, Cert3, Cert4, Cert5, Cert6, Cert7,
    Vca = 8,
    Measurements = 9,
    Report = 10,
}
