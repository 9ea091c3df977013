using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AcceptD.Core.Tdisp;

/// <summary>
/// Checks that one certificate was signed by another (issuer name and signature over the TBS bytes).
/// Supported: ECDSA and RSA PKCS#1 v1.5 with SHA-256/384/512 — what SPDM devices use. Validity dates are not
/// checked: the guest's clock comes from the untrusted host. The certificates are read with System.Formats.Asn1
/// rather than X509Certificate2, whose chain-building support would pull the HTTP stack into the initrd binary.
/// </summary>
public static class CertificateSignature
{
    /// <summary>Null when <paramref name="subjectDer"/> is signed by <paramref name="issuerDer"/>, else the reason.</summary>
    public static string? Check(ReadOnlySpan<byte> subjectDer, ReadOnlySpan<byte> issuerDer)
    {
        try
        {
            var subject = Certificate.Read(subjectDer);
            var issuer = Certificate.Read(issuerDer);
            if (!subject.Issuer.AsSpan().SequenceEqual(issuer.Subject))
                return $"'{Name(subject.Subject)}' names issuer '{Name(subject.Issuer)}', not '{Name(issuer.Subject)}'";
            bool? ok = subject.SignatureOid switch
            {
                "1.2.840.10045.4.3.2" => VerifyEcdsa(issuer, subject, HashAlgorithmName.SHA256),
                "1.2.840.10045.4.3.3" => VerifyEcdsa(issuer, subject, HashAlgorithmName.SHA384),
                "1.2.840.10045.4.3.4" => VerifyEcdsa(issuer, subject, HashAlgorithmName.SHA512),
                "1.2.840.113549.1.1.11" => VerifyRsa(issuer, subject, HashAlgorithmName.SHA256),
                "1.2.840.113549.1.1.12" => VerifyRsa(issuer, subject, HashAlgorithmName.SHA384),
                "1.2.840.113549.1.1.13" => VerifyRsa(issuer, subject, HashAlgorithmName.SHA512),
                _ => null,
            };
            return ok switch
            {
                null => $"'{Name(subject.Subject)}': unsupported signature algorithm {subject.SignatureOid}",
                false => $"'{Name(subject.Subject)}': signature does not verify with the key of '{Name(issuer.Subject)}'",
                true => null,
            };
        }
        catch (Exception e) when (e is CryptographicException or AsnContentException)
        {
            return $"unreadable certificate: {e.Message}";
        }
    }

    /// <summary>The parts of an X.509 certificate (RFC 5280 §4.1) a signature check needs, as DER.</summary>
    private sealed record Certificate(byte[] Tbs, byte[] Issuer, byte[] Subject, byte[] PublicKeyInfo, string SignatureOid, byte[] Signature)
    {
        /// <summary>The algorithm of <see cref="PublicKeyInfo"/>: a key of the wrong kind fails the check, not the import.</summary>
        public string KeyAlgorithmOid { get; } = new AsnReader(PublicKeyInfo, AsnEncodingRules.DER).ReadSequence().ReadSequence().ReadObjectIdentifier();

        public static Certificate Read(ReadOnlySpan<byte> der)
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
            tbs.ReadSequence(); // validity: not checked, see the class comment
            var subject = tbs.ReadEncodedValue().ToArray();
            var publicKeyInfo = tbs.ReadEncodedValue().ToArray();
            return new Certificate(tbsBytes, issuer, subject, publicKeyInfo, oid, signature);
        }
    }

    private static string Name(byte[] der) => new X500DistinguishedName(der).Name;

    private const string EcPublicKey = "1.2.840.10045.2.1", RsaEncryption = "1.2.840.113549.1.1.1";

    private static bool VerifyEcdsa(Certificate issuer, Certificate subject, HashAlgorithmName hash)
    {
        if (issuer.KeyAlgorithmOid != EcPublicKey) return false;
        using var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(issuer.PublicKeyInfo, out _);
        return key.VerifyData(subject.Tbs, subject.Signature, hash, DSASignatureFormat.Rfc3279DerSequence);
    }

    private static bool VerifyRsa(Certificate issuer, Certificate subject, HashAlgorithmName hash)
    {
        if (issuer.KeyAlgorithmOid != RsaEncryption) return false;
        using var key = RSA.Create();
        key.ImportSubjectPublicKeyInfo(issuer.PublicKeyInfo, out _);
        return key.VerifyData(subject.Tbs, subject.Signature, hash, RSASignaturePadding.Pkcs1);
    }
}
