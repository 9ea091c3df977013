using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AcceptD.Core.Policy;
using AcceptD.Core.Tdisp;

namespace AcceptD.Testing.TsmSimulator;

/// <summary>How a test's certificate chain deviates from a good one (CA flags, leaf key usage, leaf curve).</summary>
public sealed record ChainShape(
    bool IntermediateIsCa = true, X509KeyUsageFlags IntermediateUsage = X509KeyUsageFlags.KeyCertSign,
    X509KeyUsageFlags LeafUsage = X509KeyUsageFlags.DigitalSignature, bool P256Leaf = false);

/// <summary>A generated chain, root first, and the leaf's private key.</summary>
public sealed record TestChain(IReadOnlyList<byte[]> Certificates, ECDsa LeafKey, bool P256Leaf);

/// <summary>
/// Evidence of a simulated device, made by the tests: a real ECDSA chain (P-384 root CA → intermediate → P-384 or
/// P-256 leaf) in SPDM CertChain format, the SPDM 1.2 VCA, measurement exchanges signed by the leaf key over the nonce
/// asked for (<see cref="SimulatedResponder"/>), a TDISP interface report, and the matching reference values.
/// </summary>
public sealed class TestDeviceEvidence
{
    public ImmutableArray<byte> RootDer { get; }
    public ImmutableArray<byte> CertChain { get; }
    public ImmutableArray<byte> MeasurementRecord { get; }
    public ImmutableArray<byte> Report { get; }
    public SimulatedResponder Responder { get; }

    private TestDeviceEvidence(ImmutableArray<byte> rootDer, ImmutableArray<byte> chain, ImmutableArray<byte> record, ImmutableArray<byte> report, SimulatedResponder responder)
        => (RootDer, CertChain, MeasurementRecord, Report, Responder) = (rootDer, chain, record, report, responder);

    /// <summary>A device whose firmware measures to <paramref name="firmware"/> and whose vendor CA is <paramref name="vendor"/>.</summary>
    public static TestDeviceEvidence Create(string vendor = "Test Vendor", string firmware = "fw-1.0", int reportSize = 256, ChainShape? shape = null)
    {
        var chain = Chain(vendor, shape);
        var report = new byte[reportSize];
        for (var i = 0; i < report.Length; i++) report[i] = (byte)(i * 7 + firmware.Length);
        return new TestDeviceEvidence([.. chain.Certificates[0]], [.. ChainBlob(chain.Certificates)], [.. Blocks(firmware)], [.. report],
            new SimulatedResponder(chain.LeafKey, chain.P256Leaf));
    }

    public TestDeviceEvidence WithCertChain(ImmutableArray<byte> chain) => new(RootDer, chain, MeasurementRecord, Report, Responder);

    public TestDeviceEvidence WithFirmware(string firmware) => new(RootDer, CertChain, [.. Blocks(firmware)], Report, Responder);

    public TestDeviceEvidence WithReport(byte[] report) => new(RootDer, CertChain, MeasurementRecord, [.. report], Responder);

    /// <summary>The reference values a policy would carry for this device.</summary>
    public TdispEvidence Reference() => new(
        [DigestHashing.Of("sha384", MeasurementRecord.AsSpan())],
        DigestHashing.Of("sha256", RootDer.AsSpan()),
        DigestHashing.Of("sha512", Report.AsSpan()));

    /// <summary>
    /// The object of an evidence type number (0 = CERT0, 8 = VCA, 9 = MEASUREMENTS, 10 = REPORT, per
    /// kernel-interfaces.md §4.5); MEASUREMENTS is a signed exchange over <paramref name="nonce"/> (random when null).
    /// </summary>
    public byte[] Blob(uint type, byte[]? nonce = null) => type switch
    {
        0 => [.. CertChain],
        8 => Responder.Vca(),
        9 => Responder.Exchange(nonce ?? RandomNumberGenerator.GetBytes(32), MeasurementRecord.AsSpan()),
        10 => [.. Report],
        _ => [],
    };

    public byte[] Blob(EvidenceType type, byte[]? nonce = null) => Blob((uint)type, nonce);

    /// <summary>What a good device-evidence read with <paramref name="nonce"/> yields, as AcceptD holds it.</summary>
    public DeviceEvidence Read(byte[] nonce, uint generation = 7) => new DeviceEvidence(generation,
        new[] { EvidenceType.Cert0, EvidenceType.Vca, EvidenceType.Measurements, EvidenceType.Report }
            .ToImmutableSortedDictionary(t => t, t => ImmutableArray.Create(Blob(t, nonce))))
    { Nonce = [.. nonce] };

    /// <summary>Root, intermediate, leaf as DER; each signed ECDSA SHA-384; CA flags and leaf key usage per <paramref name="shape"/>.</summary>
    public static TestChain Chain(string vendor, ChainShape? shape = null)
    {
        shape ??= new ChainShape();
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var midKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var leafKey = ECDsa.Create(shape.P256Leaf ? ECCurve.NamedCurves.nistP256 : ECCurve.NamedCurves.nistP384);
        var from = DateTimeOffset.UtcNow.AddDays(-1);
        var to = from.AddYears(20);
        using var root = Request($"CN={vendor} Root CA", rootKey, ca: true, X509KeyUsageFlags.KeyCertSign).CreateSelfSigned(from, to);
        using var mid = Request($"CN={vendor} Device CA", midKey, shape.IntermediateIsCa, shape.IntermediateUsage).Create(root, from, to, [1]);
        // Signed by name and key rather than by certificate: .NET refuses an issuer certificate that is not a CA.
        using var leaf = Request($"CN={vendor} Device", leafKey, ca: false, shape.LeafUsage)
            .Create(mid.SubjectName, X509SignatureGenerator.CreateForECDsa(midKey), from, to, [2]);
        return new TestChain([root.RawData, mid.RawData, leaf.RawData], leafKey, shape.P256Leaf);
    }

    /// <summary>SPDM CertChain: Length u16 LE, reserved, SHA-384 of the root, the DER certificates root first.</summary>
    public static byte[] ChainBlob(IReadOnlyList<byte[]> certs)
    {
        var body = certs.SelectMany(c => c).ToArray();
        var blob = new byte[4 + 48 + body.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(blob, (ushort)blob.Length);
        SHA384.HashData(certs[0]).CopyTo(blob, 4);
        body.CopyTo(blob, 52);
        return blob;
    }

    private static CertificateRequest Request(string subject, ECDsa key, bool ca, X509KeyUsageFlags usage)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA384);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(ca, false, 0, true));
        if (usage != X509KeyUsageFlags.None) request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        return request;
    }

    /// <summary>Two DMTF measurement blocks: immutable ROM and mutable firmware version, each a SHA-384 digest.</summary>
    private static byte[] Blocks(string firmware) =>
        [.. Block(1, 0x00, SHA384.HashData("rom"u8)), .. Block(2, 0x01, SHA384.HashData(System.Text.Encoding.UTF8.GetBytes(firmware)))];

    private static byte[] Block(byte index, byte dmtfType, byte[] value)
    {
        var block = new byte[4 + 3 + value.Length];
        block[0] = index;
        block[1] = 0x01; // DMTF measurement specification
        BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(2), (ushort)(3 + value.Length));
        block[4] = dmtfType;
        BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(5), (ushort)value.Length);
        value.CopyTo(block, 7);
        return block;
    }
}
