using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AcceptD.Core.Tdisp;
using AcceptD.Testing.TsmSimulator;

namespace AcceptD.Core.Tests.Tdisp;

public sealed class CertificateSignatureTests
{
    private static readonly IReadOnlyList<byte[]> Chain = TestDeviceEvidence.Chain("Sig").Certificates;

    [Fact]
    public void Accepts_each_link_of_an_ecdsa_chain()
    {
        Assert.Null(CertificateSignature.Check(Chain[0], Chain[0]));
        Assert.Null(CertificateSignature.Check(Chain[1], Chain[0]));
        Assert.Null(CertificateSignature.Check(Chain[2], Chain[1]));
    }

    [Fact]
    public void Rejects_a_certificate_whose_signed_bytes_were_changed()
    {
        var forged = (byte[])Chain[2].Clone();
        var name = System.Text.Encoding.ASCII.GetBytes("Sig Device");
        var at = forged.AsSpan().LastIndexOf(name);
        forged[at] = (byte)'Z'; // the subject's CN, inside the TBS bytes the signature covers

        Assert.Equal("'CN=Zig Device': signature does not verify with the key of 'CN=Sig Device CA'",
            CertificateSignature.Check(forged, Chain[1]));
    }

    [Fact]
    public void Rejects_an_issuer_that_is_not_named_by_the_subject()
    {
        Assert.Equal("'CN=Sig Device' names issuer 'CN=Sig Device CA', not 'CN=Sig Root CA'",
            CertificateSignature.Check(Chain[2], Chain[0]));
    }

    [Fact]
    public void Rejects_an_issuer_whose_key_is_of_the_wrong_kind()
    {
        // Same issuer name as the ECDSA device CA, but an RSA key: the ECDSA signature cannot verify with it.
        using var rsa = RSA.Create(2048);
        var impostor = new CertificateRequest("CN=Sig Device CA", rsa, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));

        Assert.Equal("'CN=Sig Device': signature does not verify with the key of 'CN=Sig Device CA'",
            CertificateSignature.Check(Chain[2], impostor.RawData));
    }

    [Fact]
    public void Names_an_unsupported_signature_algorithm()
    {
        using var key = RSA.Create(2048);
        using var cert = new CertificateRequest("CN=Pss", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pss)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));

        Assert.Equal("'CN=Pss': unsupported signature algorithm 1.2.840.113549.1.1.10", CertificateSignature.Check(cert.RawData, cert.RawData));
    }

    [Theory]
    [InlineData(new byte[] { 0x30, 0x03, 0x02, 0x01, 0x01 })]
    [InlineData(new byte[] { 0x04, 0x00 })]
    [InlineData(new byte[] { })]
    public void Reports_unreadable_bytes_instead_of_throwing(byte[] garbage)
    {
        Assert.StartsWith("unreadable certificate: ", CertificateSignature.Check(garbage, Chain[0]));
        Assert.StartsWith("unreadable certificate: ", CertificateSignature.Check(Chain[1], garbage));
    }

    [Fact]
    public void Refuses_trailing_bytes_after_the_certificate()
    {
        Assert.StartsWith("unreadable certificate: ", CertificateSignature.Check([.. Chain[0], 0x00], Chain[0]));
    }
}
