using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AcceptD.Core.Policy;
using AcceptD.Core.Tdisp;

namespace AcceptD.Testing.TsmSimulator;

/// <summary>
/// Evidence of a simulated device, made by the tests: a real ECDSA P-384 chain (root CA → intermediate → leaf) in SPDM
/// CertChain format, SPDM MEASUREMENTS responses (fresh responder nonce and signature bytes on every read, same
/// measurement record), a TDISP interface report, and the matching reference values.
/// </summary>
public sealed class TestDeviceEvidence
{
    public ImmutableArray<byte> RootDer { get; }
    public ImmutableArray<byte> CertChain { get; }
    public ImmutableArray<byte> MeasurementRecord { get; }
    public ImmutableArray<byte> Report { get; }

    private TestDeviceEvidence(ImmutableArray<byte> rootDer, ImmutableArray<byte> chain, ImmutableArray<byte> record, ImmutableArray<byte> report)
        => (RootDer, CertChain, MeasurementRecord, Report) = (rootDer, chain, record, report);

    /// <summary>A device whose firmware measures to <paramref name="firmware"/> and whose vendor CA is <paramref name="vendor"/>.</summary>
    public static TestDeviceEvidence Create(string vendor = "Test Vendor", string firmware = "fw-1.0", int reportSize = 256)
    {
        var certs = Chain(vendor);
        var report = new byte[reportSize];
        for (var i = 0; i < report.Length; i++) report[i] = (byte)(i * 7 + firmware.Length);
        return new TestDeviceEvidence([.. certs[0]], [.. ChainBlob(certs)], [.. Blocks(firmware)], [.. report]);
    }

    public TestDeviceEvidence WithCertChain(ImmutableArray<byte> chain) => new(RootDer, chain, MeasurementRecord, Report);

    public TestDeviceEvidence WithFirmware(string firmware) => new(RootDer, CertChain, [.. Blocks(firmware)], Report);

    public TestDeviceEvidence WithReport(byte[] report) => new(RootDer, CertChain, MeasurementRecord, [.. report]);

    /// <summary>The reference values a policy would carry for this device.</summary>
    public TdispEvidence Reference() => new(
        [DigestHashing.Of("sha384", MeasurementRecord.AsSpan())],
        DigestHashing.Of("sha256", RootDer.AsSpan()),
        DigestHashing.Of("sha512", Report.AsSpan()));

    public byte[] Blob(EvidenceType type) => type switch
    {
        EvidenceType.Cert0 => [.. CertChain],
        EvidenceType.Measurements => MeasurementsResponse(),
        EvidenceType.Report => [.. Report],
        _ => [],
    };

    /// <summary>SPDM 1.2 MEASUREMENTS: header, record, responder nonce, no opaque data, 96 signature bytes.</summary>
    public byte[] MeasurementsResponse()
    {
        var record = MeasurementRecord.AsSpan();
        var blob = new byte[8 + record.Length + 32 + 2 + 96];
        blob[0] = 0x12;
        blob[1] = 0x60;
        blob[4] = (byte)CountBlocks(record);
        blob[5] = (byte)record.Length; blob[6] = (byte)(record.Length >> 8); blob[7] = (byte)(record.Length >> 16);
        record.CopyTo(blob.AsSpan(8));
        RandomNumberGenerator.Fill(blob.AsSpan(8 + record.Length, 32));
        RandomNumberGenerator.Fill(blob.AsSpan(8 + record.Length + 34));
        return blob;
    }

    /// <summary>Root, intermediate, leaf as DER; ECDSA P-384 signed with SHA-384.</summary>
    public static List<byte[]> Chain(string vendor)
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var midKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var from = DateTimeOffset.UtcNow.AddDays(-1);
        var to = from.AddYears(20);
        using var root = Request($"CN={vendor} Root CA", rootKey, ca: true).CreateSelfSigned(from, to);
        using var mid = Request($"CN={vendor} Device CA", midKey, ca: true).Create(root, from, to, [1]);
        using var midWithKey = mid.CopyWithPrivateKey(midKey);
        using var leaf = Request($"CN={vendor} Device", leafKey, ca: false).Create(midWithKey, from, to, [2]);
        return [root.RawData, mid.RawData, leaf.RawData];
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

    private static CertificateRequest Request(string subject, ECDsa key, bool ca)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA384);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(ca, false, 0, true));
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

    private static int CountBlocks(ReadOnlySpan<byte> record)
    {
        var n = 0;
        while (record.Length >= 4) { record = record[(4 + BinaryPrimitives.ReadUInt16LittleEndian(record[2..]))..]; n++; }
        return n;
    }
}
