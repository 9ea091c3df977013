using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AcceptD.Core.Tdisp;

/// <summary>
/// Checks that one certificate was signed by another (issuer name and signature over the TBS bytes).
/// Supported: ECDSA and RSA PKCS#1 v1.5 with SHA-256/384/512 — what SPDM devices use. Validity dates are not
/// checked: the guest's clock comes from the untrusted host.
/// </summary>
public static class CertificateSignature
{
    /// <summary>Null when <paramref name="subjectDer"/> is signed by <paramref name="issuerDer"/>, else the reason.</summary>
    public static string? Check(ReadOnlySpan<byte> subjectDer, ReadOnlySpan<byte> issuerDer)
    {
        try
        {
            using var subject = X509CertificateLoader.LoadCertificate(subjectDer);
            using var issuer = X509CertificateLoader.LoadCertificate(issuerDer);
            if (!subject.IssuerName.RawData.AsSpan().SequenceEqual(issuer.SubjectName.RawData))
                return $"'{subject.Subject}' names issuer '{subject.Issuer}', not '{issuer.Subject}'";
            var (tbs, oid, signature) = Split(subjectDer);
            var ok = oid switch
            {
                "1.2.840.10045.4.3.2" => VerifyEcdsa(issuer, tbs, signature, HashAlgorithmName.SHA256),
                "1.2.840.10045.4.3.3" => VerifyEcdsa(issuer, tbs, signature, HashAlgorithmName.SHA384),
                "1.2.840.10045.4.3.4" => VerifyEcdsa(issuer, tbs, signature, HashAlgorithmName.SHA512),
                "1.2.840.113549.1.1.11" => VerifyRsa(issuer, tbs, signature, HashAlgorithmName.SHA256),
                "1.2.840.113549.1.1.12" => VerifyRsa(issuer, tbs, signature, HashAlgorithmName.SHA384),
                "1.2.840.113549.1.1.13" => VerifyRsa(issuer, tbs, signature, HashAlgorithmName.SHA512),
                _ => (bool?)null,
            };
            return ok switch
            {
                null => $"'{subject.Subject}': unsupported signature algorithm {oid}",
                false => $"'{subject.Subject}': signature does not verify with the key of '{issuer.Subject}'",
                true => null,
            };
        }
        catch (Exception e) when (e is CryptographicException or AsnContentException)
        {
            return $"unreadable certificate: {e.Message}";
        }
    }

    private static (byte[] Tbs, string Oid, byte[] Signature) Split(ReadOnlySpan<byte> der)
    {
        var cert = new AsnReader(der.ToArray(), AsnEncodingRules.DER).ReadSequence();
        var tbs = cert.ReadEncodedValue().ToArray();
        var oid = cert.ReadSequence().ReadObjectIdentifier();
        var signature = cert.ReadBitString(out _);
        return (tbs, oid, signature);
    }

    private static bool? VerifyEcdsa(X509Certificate2 issuer, byte[] tbs, byte[] signature, HashAlgorithmName hash)
    {
        using var key = issuer.GetECDsaPublicKey();
        return key?.VerifyData(tbs, signature, hash, DSASignatureFormat.Rfc3279DerSequence);
    }

    private static bool? VerifyRsa(X509Certificate2 issuer, byte[] tbs, byte[] signature, HashAlgorithmName hash)
    {
        using var key = issuer.GetRSAPublicKey();
        return key?.VerifyData(tbs, signature, hash, RSASignaturePadding.Pkcs1);
    }
}
