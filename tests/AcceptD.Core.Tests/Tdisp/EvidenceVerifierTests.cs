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
    private static readonly byte[] Nonce = RandomNumberGenerator.GetBytes(32);

    private static DeviceEvidence Read(TestDeviceEvidence device) => device.Read(Nonce);

    private static DeviceEvidence WithMeasurements(DeviceEvidence evidence, byte[] blob) =>
        evidence with { Objects = evidence.Objects.SetItem(EvidenceType.Measurements, [.. blob]) };

    [Fact]
    public void Accepts_evidence_matching_the_reference()
    {
        var verdict = EvidenceVerifier.Verify(Read(Device), Device.Reference());

        Assert.True(verdict.Ok, verdict.Reason);
        Assert.Equal("evidence verified (generation 7, 3 certificates, 2 measurement blocks; signed by the leaf key over our nonce)", verdict.Reason);
        Assert.Equal("sha384:" + Convert.ToHexStringLower(Read(Device).Sha384()), verdict.EvidenceDigest);
    }

    [Fact]
    public void AcceptsAP256LeafSigningWithSha256()
    {
        var device = TestDeviceEvidence.Create("P256", shape: new ChainShape(P256Leaf: true));

        var verdict = EvidenceVerifier.Verify(device.Read(Nonce), device.Reference());

        Assert.True(verdict.Ok, verdict.Reason);
    }

    [Fact]
    public void AcceptsTheVcaFoldedIntoTheMeasurementsObject()
    {
        var evidence = Read(Device);
        var folded = evidence with
        {
            Objects = evidence.Objects.Remove(EvidenceType.Vca)
                .SetItem(EvidenceType.Measurements, [.. evidence.Get(EvidenceType.Vca), .. evidence.Get(EvidenceType.Measurements)]),
        };

        Assert.True(EvidenceVerifier.Verify(folded, Device.Reference()).Ok);
    }

    [Fact]
    public void RejectsAResponseToAnotherNonce()
    {
        var replayed = WithMeasurements(Read(Device), Device.Blob(EvidenceType.Measurements, RandomNumberGenerator.GetBytes(32)));

        var verdict = EvidenceVerifier.Verify(replayed, Device.Reference());

        Assert.False(verdict.Ok);
        Assert.StartsWith("measurements not fresh: the request's nonce ", verdict.Reason);
        Assert.EndsWith("is not the one AcceptD sent (replayed response)", verdict.Reason);
    }

    [Fact]
    public void RejectsANonceSplicedIntoAnotherSignedExchange()
    {
        var blob = Device.Blob(EvidenceType.Measurements, RandomNumberGenerator.GetBytes(32));
        Nonce.CopyTo(blob, 4); // the request now names our nonce, but the device signed the old one

        var verdict = EvidenceVerifier.Verify(WithMeasurements(Read(Device), blob), Device.Reference());

        Assert.False(verdict.Ok);
        Assert.Equal("measurements not fresh: the EcdsaP384 signature does not verify with the leaf certificate's key", verdict.Reason);
    }

    [Fact]
    public void RejectsAnExchangeSignedByAnotherDevice()
    {
        var other = TestDeviceEvidence.Create("Other");
        var verdict = EvidenceVerifier.Verify(WithMeasurements(Read(Device), other.Blob(EvidenceType.Measurements, Nonce)), Device.Reference());

        Assert.False(verdict.Ok);
        Assert.Contains("signature does not verify with the leaf certificate's key", verdict.Reason);
    }

    [Fact]
    public void RejectsUnsignedMeasurements()
    {
        var unsigned = Device.Responder.Exchange(Nonce, Device.MeasurementRecord.AsSpan(), signed: false);

        var verdict = EvidenceVerifier.Verify(WithMeasurements(Read(Device), unsigned), Device.Reference());

        Assert.False(verdict.Ok);
        Assert.Equal("measurements not fresh: no signed GET_MEASUREMENTS request in the transcript", verdict.Reason);
    }

    [Fact]
    public void RejectsASignatureCutOff()
    {
        var blob = Device.Blob(EvidenceType.Measurements, Nonce);

        var verdict = EvidenceVerifier.Verify(WithMeasurements(Read(Device), blob[..^96]), Device.Reference());

        Assert.False(verdict.Ok);
        Assert.Equal("measurements not fresh: the measurements are not signed", verdict.Reason);
    }

    [Fact]
    public void RejectsEvidenceReadWithoutANonce()
    {
        var verdict = EvidenceVerifier.Verify(Read(Device) with { Nonce = [] }, Device.Reference());

        Assert.False(verdict.Ok);
        Assert.Equal("measurements not fresh: the read sent a 0-byte nonce, not a 32-byte SPDM nonce", verdict.Reason);
    }

    [Fact]
    public void RejectsMissingVca()
    {
        var evidence = Read(Device);
        var verdict = EvidenceVerifier.Verify(evidence with { Objects = evidence.Objects.Remove(EvidenceType.Vca) }, Device.Reference());

        Assert.False(verdict.Ok);
        Assert.StartsWith("measurements not fresh: no VCA", verdict.Reason);
    }

    [Fact]
    public void WhereTheAbiExposesNoTranscriptTheTsmVouchesAndTheReasonSaysSo()
    {
        var unsigned = Device.Responder.Exchange(RandomNumberGenerator.GetBytes(32), Device.MeasurementRecord.AsSpan(), signed: false);
        var evidence = WithMeasurements(Read(Device), unsigned) with { Freshness = FreshnessProof.VouchedForByTsm };

        var verdict = EvidenceVerifier.Verify(evidence, Device.Reference());

        Assert.True(verdict.Ok, verdict.Reason);
        Assert.EndsWith("; freshness vouched for by the TSM)", verdict.Reason);
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
        var certs = TestDeviceEvidence.Chain("Partial").Certificates;
        var blob = TestDeviceEvidence.ChainBlob([certs[1], certs[2]]);
        var reference = Device.Reference() with { CertRoot = DigestHashing.Of("sha256", certs[1]) };

        var verdict = EvidenceVerifier.Verify(Read(Device.WithCertChain([.. blob])), reference);

        Assert.False(verdict.Ok);
        Assert.StartsWith("cert chain: root is not self-signed: 'CN=Partial Device CA' names issuer 'CN=Partial Root CA'", verdict.Reason);
    }

    [Fact]
    public void RejectsAnIntermediateThatIsNotACa()
    {
        var device = TestDeviceEvidence.Create("NotCa", shape: new ChainShape(IntermediateIsCa: false));

        var verdict = EvidenceVerifier.Verify(device.Read(Nonce), device.Reference());

        Assert.False(verdict.Ok);
        Assert.Equal("cert chain: certificate 1 'CN=NotCa Device CA' issues certificates but is not a CA (basicConstraints cA is not TRUE)", verdict.Reason);
    }

    [Fact]
    public void RejectsAnIntermediateWhoseKeyUsageForbidsSigningCertificates()
    {
        var device = TestDeviceEvidence.Create("NoCertSign", shape: new ChainShape(IntermediateUsage: X509KeyUsageFlags.DigitalSignature));

        var verdict = EvidenceVerifier.Verify(device.Read(Nonce), device.Reference());

        Assert.False(verdict.Ok);
        Assert.Equal("cert chain: certificate 1 'CN=NoCertSign Device CA' issues certificates but its keyUsage lacks keyCertSign", verdict.Reason);
    }

    [Theory]
    [InlineData(X509KeyUsageFlags.KeyEncipherment, "keyUsage lacks digitalSignature")]
    [InlineData(X509KeyUsageFlags.None, "has no keyUsage")]
    public void RejectsALeafNotForSignatures(X509KeyUsageFlags usage, string why)
    {
        var device = TestDeviceEvidence.Create("Usage", shape: new ChainShape(LeafUsage: usage));

        var verdict = EvidenceVerifier.Verify(device.Read(Nonce), device.Reference());

        Assert.False(verdict.Ok);
        Assert.Equal($"cert chain: leaf 'CN=Usage Device' {why}", verdict.Reason);
    }

    [Fact]
    public void Verifies_rsa_chains()
    {
        using var rootKey = RSA.Create(2048);
        using var leafKey = RSA.Create(2048);
        var from = DateTimeOffset.UtcNow.AddDays(-1);
        var rootRequest = new CertificateRequest("CN=RSA Root", rootKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var root = rootRequest.CreateSelfSigned(from, from.AddYears(1));
        var leafRequest = new CertificateRequest("CN=RSA Leaf", leafKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        using var leaf = leafRequest.Create(root, from, from.AddYears(1), [3]);
        var reference = Device.Reference() with { CertRoot = DigestHashing.Of("sha384", root.RawData) };
        var evidence = Read(Device.WithCertChain([.. TestDeviceEvidence.ChainBlob([root.RawData, leaf.RawData])])) with { Freshness = FreshnessProof.VouchedForByTsm };

        var verdict = EvidenceVerifier.Verify(evidence, reference);

        Assert.True(verdict.Ok, verdict.Reason);
    }

    [Fact]
    public void Rejects_missing_measurements()
    {
        var evidence = Read(Device);
        var verdict = EvidenceVerifier.Verify(evidence with { Objects = evidence.Objects.Remove(EvidenceType.Measurements).Remove(EvidenceType.Vca) }, Device.Reference());

        Assert.False(verdict.Ok);
        Assert.Contains("0 bytes is shorter than an SPDM header", verdict.Reason);
    }

    [Fact]
    public void Evidence_digest_ignores_nonces_and_signature_but_not_the_record_or_chain()
    {
        Assert.Equal(Read(Device).Sha384(), Device.Read(RandomNumberGenerator.GetBytes(32)).Sha384());
        Assert.NotEqual(Read(Device).Sha384(), Read(Device.WithFirmware("fw-2")).Sha384());
        Assert.NotEqual(Read(Device).Sha384(), Read(Device.WithReport([9])).Sha384());
    }
}
