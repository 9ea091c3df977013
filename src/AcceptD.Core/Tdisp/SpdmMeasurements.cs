using System.Buffers.Binary;
using System.Collections.Immutable;

namespace AcceptD.Core.Tdisp;

/// <summary>
/// An SPDM (DSP0274 1.2) MEASUREMENTS response. Layout parsed: version, code 0x60, param1, param2, NumberOfBlocks (u8),
/// MeasurementRecordLength (u24 LE), record, then the responder's nonce (32), OpaqueDataLength (u16 LE), opaque data,
/// and the signature (the rest; empty when none was requested). Only the record is the same on every read: the
/// responder's nonce and the signature change.
/// </summary>
public sealed record SpdmMeasurements(byte Version, int BlockCount, ImmutableArray<byte> Record, int SignatureOffset, ImmutableArray<byte> Signature)
{
    public const byte ResponseCode = 0x60;
    private const int HeaderSize = 8, NonceSize = 32;

    /// <summary>Never throws: null with a reason for anything that is not a well-formed response.</summary>
    public static SpdmMeasurements? Parse(ReadOnlySpan<byte> blob, out string? error)
    {
        error = Check(blob);
        if (error is not null) return null;
        var length = RecordLength(blob);
        var signatureAt = HeaderSize + length + NonceSize + 2 + BinaryPrimitives.ReadUInt16LittleEndian(blob[(HeaderSize + length + NonceSize)..]);
        return new SpdmMeasurements(blob[0], blob[4], [.. blob.Slice(HeaderSize, length)], signatureAt, [.. blob[signatureAt..]]);
    }

    private static int RecordLength(ReadOnlySpan<byte> blob) => blob[5] | blob[6] << 8 | blob[7] << 16;

    private static string? Check(ReadOnlySpan<byte> blob)
    {
        if (blob.Length < HeaderSize) return $"measurements: {blob.Length} bytes is shorter than an SPDM header";
        if (blob[1] != ResponseCode) return $"measurements: response code 0x{blob[1]:x2} is not MEASUREMENTS (0x60)";
        var length = RecordLength(blob);
        var tail = HeaderSize + length;
        if (tail + NonceSize + 2 > blob.Length) return $"measurements: record length {length} overruns the {blob.Length}-byte response";
        var opaque = BinaryPrimitives.ReadUInt16LittleEndian(blob[(tail + NonceSize)..]);
        if (tail + NonceSize + 2 + opaque > blob.Length) return $"measurements: opaque data length {opaque} overruns the response";
        var record = blob.Slice(HeaderSize, length);
        var blocks = 0;
        while (!record.IsEmpty)
        {
            if (record.Length < 4) return "measurements: truncated measurement block header";
            var size = BinaryPrimitives.ReadUInt16LittleEndian(record[2..]);
            if (record.Length < 4 + size) return $"measurements: block {record[0]} size {size} overruns the record";
            record = record[(4 + size)..];
            blocks++;
        }
        return blocks == blob[4] ? null : $"measurements: record holds {blocks} blocks, header says {blob[4]}";
    }
}
