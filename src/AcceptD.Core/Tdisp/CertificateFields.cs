using System.Formats.Asn1;

namespace AcceptD.Core.Tdisp;

/// <summary>
/// The parts of an X.509 certificate (RFC 5280 §4.1) the chain and transcript checks need, as DER, read with
/// System.Formats.Asn1. IsCa is basicConstraints cA (absent extension: false); KeyUsage is the keyUsage bits with
/// bit 0 (digitalSignature) as the lowest bit, null when the extension is absent.
/// </summary>
public sealed record CertificateFields(
    byte[] Tbs, byte[] Issuer, byte[] Subject, byte[] PublicKeyInfo, string SignatureOid, byte[] Signature, bool IsCa, int? KeyUsage)
{
    public const int DigitalSignature = 1 << 0, KeyCertSign = 1 << 5;
    public const string EcPublicKey = "1.2.840.10045.2.1", RsaEncryption = "1.2.840.113549.1.1.1";
    private const string BasicConstraintsOid = "2.5.29.19", KeyUsageOid = "2.5.29.15";
    private static readonly Asn1Tag ExtensionsTag = new(TagClass.ContextSpecific, 3);

    /// <summary>The algorithm of <see cref="PublicKeyInfo"/>: a key of the wrong kind fails a check, not an import.</summary>
    public string KeyAlgorithmOid { get; } = new AsnReader(PublicKeyInfo, AsnEncodingRules.DER).ReadSequence().ReadSequence().ReadObjectIdentifier();

    /// <exception cref="AsnContentException">Not a DER certificate.</exception>
    public static CertificateFields Read(ReadOnlySpan<byte> der)
    {
        var outer = new AsnReader(der.ToArray(), AsnEncodingRules.DER);
        var cert = outer.ReadSequence();
        outer.ThrowIfNotEmpty();
        var tbsBytes = cert.ReadEncodedValue().ToArray();
        var oid = cert.ReadSequence().ReadObjectIdentifier();
        var signature = cert.ReadBitString(out _);
        cert.ThrowIfNotEmpty();

        var tbs = new AsnReader(tbsBytes, AsnEncodingRules.DER).ReadSequence();
        if (tbs.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
            tbs.ReadEncodedValue(); // version
        tbs.ReadIntegerBytes(); // serialNumber
        tbs.ReadSequence(); // signature algorithm, repeated from the outer one
        var issuer = tbs.ReadEncodedValue().ToArray();
        tbs.ReadSequence(); // validity: not checked, the guest's clock comes from the host
        var subject = tbs.ReadEncodedValue().ToArray();
        var publicKeyInfo = tbs.ReadEncodedValue().ToArray();
        var (isCa, keyUsage) = (false, (int?)null);
        while (tbs.HasData)
        {
            if (!tbs.PeekTag().HasSameClassAndValue(ExtensionsTag)) { tbs.ReadEncodedValue(); continue; } // unique ids
            var extensions = tbs.ReadSequence(ExtensionsTag).ReadSequence();
            while (extensions.HasData)
            {
                var extension = extensions.ReadSequence();
                var id = extension.ReadObjectIdentifier();
                if (extension.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean)) extension.ReadBoolean(); // critical
                var value = extension.ReadOctetString();
                if (id == BasicConstraintsOid) isCa = ReadCa(value);
                else if (id == KeyUsageOid) keyUsage = ReadKeyUsage(value);
            }
        }
        return new CertificateFields(tbsBytes, issuer, subject, publicKeyInfo, oid, signature, isCa, keyUsage);
    }

    private static bool ReadCa(byte[] value)
    {
        var constraints = new AsnReader(value, AsnEncodingRules.DER).ReadSequence();
        return constraints.HasData && constraints.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean) && constraints.ReadBoolean();
    }

    /// <summary>A DER BIT STRING puts bit 0 in the most significant bit of the first byte; returned with bit 0 lowest.</summary>
    private static int ReadKeyUsage(byte[] value)
    {
        var bits = new AsnReader(value, AsnEncodingRules.DER).ReadBitString(out _);
        var usage = 0;
        for (var bit = 0; bit < Math.Min(bits.Length * 8, 16); bit++)
            if ((bits[bit / 8] & (0x80 >> (bit % 8))) != 0) usage |= 1 << bit;
        return usage;
    }
}
