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
            var subject = CertificateFields.Read(subjectDer);
            var issuer = CertificateFields.Read(issuerDer);
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

    public static string Name(byte[] der) => new X500DistinguishedName(der).Name;

    private static bool VerifyEcdsa(CertificateFields issuer, CertificateFields subject, HashAlgorithmName hash)
    {
        if (issuer.KeyAlgorithmOid != CertificateFields.EcPublicKey) return false;
        using var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(issuer.PublicKeyInfo, out _);
        return key.VerifyData(subject.Tbs, subject.Signature, hash, DSASignatureFormat.Rfc3279DerSequence);
    }

    private static bool VerifyRsa(CertificateFields issuer, CertificateFields subject, HashAlgorithmName hash)
    {
        if (issuer.KeyAlgorithmOid != CertificateFields.RsaEncryption) return false;
        using var key = RSA.Create();
        key.ImportSubjectPublicKeyInfo(issuer.PublicKeyInfo, out _);
        return key.VerifyData(subject.Tbs, subject.Signature, hash, RSASignaturePadding.Pkcs1);
    }
}
