using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace AcceptD.Testing.TsmSimulator;

/// <summary>
/// The device's SPDM 1.2 responder as the simulated TSM talks to it, written from DSP0274 1.2 apart from AcceptD's
/// parser (own literals, own layouts) so that the two check each other: the VCA exchange (GET_VERSION … ALGORITHMS)
/// and GET_MEASUREMENTS/MEASUREMENTS signed with the leaf key over L1/L2 = VCA ‖ request ‖ response-without-signature.
/// </summary>
public sealed class SimulatedResponder(ECDsa leafKey, bool p256)
{
    // ALGORITHMS selections: BaseAsymAlgo bit 4 = ECDSA P-256, bit 7 = ECDSA P-384; BaseHashAlgo bit 0 = SHA-256, bit 1 = SHA-384.
    private uint AsymBit => p256 ? 1u << 4 : 1u << 7;
    private uint HashBit => p256 ? 1u : 2u;
    private HashAlgorithmName Hash => p256 ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA384;

    /// <summary>GET_VERSION, VERSION (1.2 only), GET_CAPABILITIES, CAPABILITIES, NEGOTIATE_ALGORITHMS, ALGORITHMS.</summary>
    public byte[] Vca()
    {
        byte[] getVersion = [0x10, 0x84, 0, 0];
        byte[] version = [0x10, 0x04, 0, 0, 0, 1, 0x00, 0x12];
        var getCapabilities = new byte[20]; getCapabilities[0] = 0x12; getCapabilities[1] = 0xE1;
        var capabilities = new byte[20]; capabilities[0] = 0x12; capabilities[1] = 0x61;
        BinaryPrimitives.WriteUInt32LittleEndian(capabilities.AsSpan(8), 0b10_0000 | 0b10 << 3); // CERT_CAP, MEAS_CAP=signed
        var negotiate = new byte[32]; negotiate[0] = 0x12; negotiate[1] = 0xE3; negotiate[4] = 32; negotiate[6] = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(negotiate.AsSpan(8), (1u << 4) | (1u << 7));
        BinaryPrimitives.WriteUInt32LittleEndian(negotiate.AsSpan(12), 3);
        var algorithms = new byte[36]; algorithms[0] = 0x12; algorithms[1] = 0x63; algorithms[4] = 36; algorithms[6] = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(algorithms.AsSpan(8), 1u << 2); // measurement hash SHA-384
        BinaryPrimitives.WriteUInt32LittleEndian(algorithms.AsSpan(12), AsymBit);
        BinaryPrimitives.WriteUInt32LittleEndian(algorithms.AsSpan(16), HashBit);
        return [.. getVersion, .. version, .. getCapabilities, .. capabilities, .. negotiate, .. algorithms];
    }

    /// <summary>
    /// GET_MEASUREMENTS (all blocks; with a signature request, nonce and slot 0 when <paramref name="signed"/>) followed
    /// by the MEASUREMENTS response: record, a fresh responder nonce, no opaque data, and the signature when asked for.
    /// </summary>
    public byte[] Exchange(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> record, bool signed = true)
    {
        byte[] request = signed ? [0x12, 0xE0, 0x01, 0xFF, .. nonce, 0x00] : [0x12, 0xE0, 0x00, 0xFF];
        var response = new byte[8 + record.Length + 32 + 2];
        response[0] = 0x12;
        response[1] = 0x60;
        response[4] = (byte)Blocks(record);
        response[5] = (byte)record.Length; response[6] = (byte)(record.Length >> 8); response[7] = (byte)(record.Length >> 16);
        record.CopyTo(response.AsSpan(8));
        RandomNumberGenerator.Fill(response.AsSpan(8 + record.Length, 32));
        if (!signed) return [.. request, .. response];
        byte[] l1l2 = [.. Vca(), .. request, .. response];
        return [.. request, .. response, .. leafKey.SignData(SigningInput(l1l2), Hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)];
    }

    /// <summary>DSP0274 1.2 §15: "dmtf-spdm-v1.2.*" ×4, zero pad, "responder-measurements signing" (100 bytes), then Hash(L1/L2).</summary>
    private byte[] SigningInput(byte[] l1l2)
    {
        var prefix = new byte[100];
        Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("dmtf-spdm-v1.2.*", 4))).CopyTo(prefix, 0);
        Encoding.ASCII.GetBytes("responder-measurements signing").CopyTo(prefix, 70);
        using var hash = IncrementalHash.CreateHash(Hash);
        hash.AppendData(l1l2);
        return [.. prefix, .. hash.GetHashAndReset()];
    }

    private static int Blocks(ReadOnlySpan<byte> record)
    {
        var n = 0;
        while (record.Length >= 4) { record = record[(4 + BinaryPrimitives.ReadUInt16LittleEndian(record[2..]))..]; n++; }
        return n;
    }
}
