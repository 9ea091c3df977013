using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AcceptD.Core.Policy;
using AcceptD.Core.Tdisp;
using AcceptD.Testing.TsmSimulator;

namespace AcceptD.Core.Tests.Tdisp;

public sealed class EvidenceVerifierTests
{
    private static readonly TestDeviceEvidence Device = TestDeviceEvidence.Create();

    private static DeviceEvidence Read(TestDeviceEvidence device) => new(7, new Dictionary<EvidenceType, ImmutableArray<byte>>
    {
        [EvidenceType.Cert0] = [.. device.Blob(EvidenceType.Cert0)],
        [EvidenceType.Measurements] = [.. device.Blob(EvidenceType.Measurements)],
        [EvidenceType.Report] = [.. device.Blob(EvidenceType.Report)],
    }.ToImmutableSortedDictionary());

    [Fact]
    public void Accepts_evidence_matching_the_reference()
    {
        var verdict = EvidenceVerifier.Verify(Read(Device), Device.Reference());

        Assert.True(verdict.Ok, verdict.Reason);
        Assert.Equal("evidence verified (generation 7, 3 certificates, 2 measurement blocks)", verdict.Reason);
        Assert.Equal("sha384:" + Convert.ToHexStringLower(Read(Device).Sha384()), verdict.EvidenceDigest);
    }

    [Fact]
    public void Report_is_optional()
    {
        var verdict = EvidenceVerifier.Verify(Read(Device.WithReport([1, 2, 3])), Device.Reference() with { Report = null });

        Assert.True(verdict.Ok, verdict.Reason);
    }

    [Fact]
    public void Rejects_a_chain_whose_root_is_not_self_signed()
    {
        var certs = TestDeviceEvidence.Chain("Partial");
        var blob = TestDeviceEvidence.ChainBlob([certs[1], certs[2]]);
        var reference = Device.Reference() with { CertRoot = DigestHashing.Of("sha256", certs[1]) };

        var verdict = EvidenceVerifier.Verify(Read(Device.WithCertChain([.. blob])), reference);

        Assert.False(verdict.Ok);
        Assert.StartsWith("cert chain: root is not self-signed: 'CN=Partial Device CA' names issuer 'CN=Partial Root CA'", verdict.Reason);
    }

    [Fact]
    public void Verifies_rsa_chains()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=RSA Root", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var root = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var blob = TestDeviceEvidence.ChainBlob([root.RawData]);
        var reference = Device.Reference() with { CertRoot = DigestHashing.Of("sha384", root.RawData) };

        var verdict = EvidenceVerifier.Verify(Read(Device.WithCertChain([.. blob])), reference);

        Assert.True(verdict.Ok, verdict.Reason);
    }

    [Fact]
    public void Rejects_missing_measurements()
    {
        var evidence = Read(Device);
        var verdict = EvidenceVerifier.Verify(evidence with { Objects = evidence.Objects.Remove(EvidenceType.Measurements) }, Device.Reference());

        Assert.False(verdict.Ok);
        Assert.Contains("0 bytes is shorter than an SPDM header", verdict.Reason);
    }

    [Fact]
    public void Evidence_digest_ignores_nonce_and_signature_but_not_the_record_or_chain()
    {
        Assert.Equal(Read(Device).Sha384(), Read(Device).Sha384());
        Assert.NotEqual(Read(Device).Sha384(), Read(Device.WithFirmware("fw-2")).Sha384());
        Assert.NotEqual(Read(Device).Sha384(), Read(Device.WithReport([9])).Sha384());
    }
}
