using System.Buffers.Binary;

namespace AcceptD.Core.Tdisp;

/// <summary>The signing algorithm an SPDM responder negotiated (DSP0274 1.2 ALGORITHMS BaseAsymSel).</summary>
public enum SpdmAsym { EcdsaP256, EcdsaP384, EcdsaP521, RsaSsa, RsaPss }

/// <summary>
/// What the VCA part of a transcript (GET_VERSION, VERSION, GET_CAPABILITIES, CAPABILITIES, NEGOTIATE_ALGORITHMS,
/// ALGORITHMS, DSP0274 1.2) says about signatures: the base hash and asymmetric algorithm the responder selected.
/// </summary>
public sealed record SpdmAlgorithms(string BaseHash, SpdmAsym BaseAsym, int SignatureSize)
{
    private const byte GetVersion = 0x84, Version = 0x04, GetCapabilities = 0xE1, Capabilities = 0x61,
        NegotiateAlgorithms = 0xE3, Algorithms = 0x63;

    /// <summary>Walks the six VCA messages at the start of <paramref name="data"/>; <paramref name="length"/> is their size.</summary>
    public static SpdmAlgorithms? Parse(ReadOnlySpan<byte> data, out int length, out string? error)
    {
        length = 0;
        SpdmAlgorithms? selected = null;
        foreach (var code in (ReadOnlySpan<byte>)[GetVersion, Version, GetCapabilities, Capabilities, NegotiateAlgorithms, Algorithms])
        {
            var rest = data[length..];
            if (rest.Length < 4 || rest[1] != code) { error = $"VCA: expected SPDM message 0x{code:x2} at byte {length}"; return null; }
            var size = code switch
            {
                GetVersion => 4,
                Version => rest.Length < 6 ? -1 : 6 + 2 * rest[5],
                GetCapabilities or Capabilities => rest[0] == 0x12 ? 20 : -1,
                _ => rest.Length < 6 ? -1 : BinaryPrimitives.ReadUInt16LittleEndian(rest[4..]),
            };
            if (size < 4 || size > rest.Length) { error = $"VCA: SPDM message 0x{code:x2} at byte {length} is truncated or not SPDM 1.2"; return null; }
            if (code == Algorithms && (selected = Selected(rest[..size], out error)) is null) return null;
            length += size;
        }
        error = null;
        return selected;
    }

    /// <summary>ALGORITHMS 1.2: MeasurementHashAlgo at 8, BaseAsymSel at 12, BaseHashSel at 16, each u32 LE, one bit set.</summary>
    private static SpdmAlgorithms? Selected(ReadOnlySpan<byte> message, out string? error)
    {
        error = null;
        if (message.Length < 20) { error = "VCA: ALGORITHMS shorter than 20 bytes"; return null; }
        var asym = BinaryPrimitives.ReadUInt32LittleEndian(message[12..]);
        var hash = BinaryPrimitives.ReadUInt32LittleEndian(message[16..]) switch
        {
            1 => "sha256",
            2 => "sha384",
            4 => "sha512",
            var other => $"0x{other:x}",
        };
        if (hash.StartsWith("0x", StringComparison.Ordinal)) { error = $"VCA: base hash selection {hash} is not one SHA-2 algorithm"; return null; }
        (SpdmAsym Asym, int Size)? algorithm = asym switch
        {
            1 << 0 => (SpdmAsym.RsaSsa, 256),
            1 << 1 => (SpdmAsym.RsaPss, 256),
            1 << 2 => (SpdmAsym.RsaSsa, 384),
            1 << 3 => (SpdmAsym.RsaPss, 384),
            1 << 4 => (SpdmAsym.EcdsaP256, 64),
            1 << 5 => (SpdmAsym.RsaSsa, 512),
            1 << 6 => (SpdmAsym.RsaPss, 512),
            1 << 7 => (SpdmAsym.EcdsaP384, 96),
            1 << 8 => (SpdmAsym.EcdsaP521, 132),
            _ => null,
        };
        if (algorithm is not { } a) { error = $"VCA: base asymmetric selection 0x{asym:x} is not one supported algorithm"; return null; }
        return new SpdmAlgorithms(hash, a.Asym, a.Size);
    }
}
