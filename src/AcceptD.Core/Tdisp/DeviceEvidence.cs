using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Security.Cryptography;

namespace AcceptD.Core.Tdisp;

/// <summary>The evidence objects of one device as read at one generation (an absent type is an empty blob).</summary>
public sealed record DeviceEvidence(uint Generation, ImmutableSortedDictionary<EvidenceType, ImmutableArray<byte>> Objects)
{
    public ReadOnlySpan<byte> Get(EvidenceType type) =>
        Objects.TryGetValue(type, out var blob) ? blob.AsSpan() : [];

    /// <summary>
    /// SHA-384 over the canonical concatenation "acceptd-evidence-v1\0" then, for each non-empty object in ascending
    /// type order, type (u32 LE) ‖ length (u32 LE) ‖ bytes. The SPDM measurements response carries a fresh nonce and
    /// signature, so only its measurement record enters the digest: the digest stays stable across reads.
    /// </summary>
    public byte[] Sha384()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA384);
        hash.AppendData("acceptd-evidence-v1\0"u8);
        Span<byte> head = stackalloc byte[8];
        foreach (var (type, blob) in Objects)
        {
            var bytes = type == EvidenceType.Measurements && SpdmMeasurements.Parse(blob.AsSpan(), out _) is { } m
                ? m.Record.AsSpan() : blob.AsSpan();
            if (bytes.IsEmpty) continue;
            BinaryPrimitives.WriteUInt32LittleEndian(head, (uint)type);
            BinaryPrimitives.WriteUInt32LittleEndian(head[4..], (uint)bytes.Length);
            hash.AppendData(head);
            hash.AppendData(bytes);
        }
        return hash.GetHashAndReset();
    }
}
