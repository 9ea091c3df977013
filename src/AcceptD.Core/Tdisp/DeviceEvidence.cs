using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Security.Cryptography;

namespace AcceptD.Core.Tdisp;

/// <summary>How the freshness of evidence read through one ABI can be proven (see <see cref="EvidenceFamily"/>).</summary>
public enum FreshnessProof
{
    /// <summary>The measurements are an SPDM transcript signed by the device over the nonce AcceptD sent.</summary>
    SpdmSignature,
    /// <summary>The ABI exposes no transcript tied to our nonce: only the TSM's word says the evidence is fresh.</summary>
    VouchedForByTsm,
}

/// <summary>
/// The evidence objects of one device as read at one generation (an absent type is an empty blob), with the nonce
/// AcceptD sent for the read and how that read's freshness can be proven.
/// </summary>
public sealed record DeviceEvidence(uint Generation, ImmutableSortedDictionary<EvidenceType, ImmutableArray<byte>> Objects)
{
    public ImmutableArray<byte> Nonce { get; init; } = [];

    public FreshnessProof Freshness { get; init; } = FreshnessProof.SpdmSignature;

    public ReadOnlySpan<byte> Get(EvidenceType type) =>
        Objects.TryGetValue(type, out var blob) ? blob.AsSpan() : [];

    /// <summary>
    /// SHA-384 over the canonical concatenation "acceptd-evidence-v1\0" then, for each non-empty object in ascending
    /// type order, type (u32 LE) ‖ length (u32 LE) ‖ bytes. The SPDM measurements response carries a fresh nonce and
    /// signature (and the request our nonce), so only its measurement record enters the digest: the digest stays stable across reads.
    /// </summary>
    public byte[] Sha384()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA384);
        hash.AppendData("acceptd-evidence-v1\0"u8);
        Span<byte> head = stackalloc byte[8];
        foreach (var (type, blob) in Objects)
        {
            var bytes = type == EvidenceType.Measurements && SpdmTranscript.Parse(blob.AsSpan(), out _) is { } m
                ? m.Response.Record.AsSpan() : blob.AsSpan();
            if (bytes.IsEmpty) continue;
            BinaryPrimitives.WriteUInt32LittleEndian(head, (uint)type);
            BinaryPrimitives.WriteUInt32LittleEndian(head[4..], (uint)bytes.Length);
            hash.AppendData(head);
            hash.AppendData(bytes);
        }
        return hash.GetHashAndReset();
    }
}
