using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Formats.Asn1;

namespace AcceptD.Core.Tdisp;

/// <summary>
/// An SPDM certificate chain (DSP0274 "CertChain"): Length (u16 LE, whole blob), Reserved (u16), RootHash (H bytes:
/// digest of the root certificate with the negotiated hash, H = 48, 32 or 64 tried in that order), then DER
/// certificates root first, each signed by the one before it, the leaf last. AcceptD requires the root itself to be
/// in the chain (self-signed), so that its fingerprint can be compared with the policy's certroot.
/// </summary>
public sealed record SpdmCertChain(string RootHashAlgorithm, ImmutableArray<byte> RootHash, ImmutableArray<ImmutableArray<byte>> Certificates)
{
    private static readonly string[] HashOrder = ["sha384", "sha256", "sha512"];

    /// <summary>Never throws: null with a reason for anything that is not a well-formed chain.</summary>
    public static SpdmCertChain? Parse(ReadOnlySpan<byte> blob, out string? error)
    {
        if (blob.Length < 4) { error = $"cert chain: {blob.Length} bytes is shorter than its header"; return null; }
        var length = BinaryPrimitives.ReadUInt16LittleEndian(blob);
        if (length != blob.Length) { error = $"cert chain: header length {length} differs from blob length {blob.Length}"; return null; }
        error = "cert chain: no certificates after a sha256/384/512 root hash";
        foreach (var alg in HashOrder)
        {
            var h = DigestHashing.SizeOf(alg);
            if (blob.Length <= 4 + h || SplitDer(blob[(4 + h)..]) is not { Length: > 0 } certs) continue;
            var rootHash = blob.Slice(4, h);
            if (!DigestHashing.Hash(alg, certs[0].AsSpan()).AsSpan().SequenceEqual(rootHash))
            {
                error = $"cert chain: root hash does not match the first certificate ({alg})";
                continue;
            }
            error = null;
            return new SpdmCertChain(alg, [.. rootHash], certs);
        }
        return null;
    }

    /// <summary>Splits concatenated DER SEQUENCEs; null unless they cover the span exactly.</summary>
    private static ImmutableArray<ImmutableArray<byte>>? SplitDer(ReadOnlySpan<byte> data)
    {
        var certs = ImmutableArray.CreateBuilder<ImmutableArray<byte>>();
        while (!data.IsEmpty)
        {
            if (data[0] != 0x30) return null;
            try
            {
                AsnDecoder.ReadEncodedValue(data, AsnEncodingRules.DER, out _, out _, out var consumed);
                certs.Add([.. data[..consumed]]);
                data = data[consumed..];
            }
            catch (AsnContentException)
            {
                return null;
            }
        }
        return certs.ToImmutable();
    }
}
