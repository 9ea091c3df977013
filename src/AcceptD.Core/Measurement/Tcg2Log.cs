using System.Buffers.Binary;
using System.Text;

namespace AcceptD.Core.Measurement;

/// <summary>One event of a TCG2 log: its number (1 = first after the header), register index, type, digest, data.</summary>
public sealed record Tcg2Event(int Number, uint RegisterIndex, uint EventType, byte[] Digest, byte[] Data);

/// <summary>
/// The TCG2 crypto-agile event log (TCG PC Client Platform Firmware Profile §10) as CoCo's attestation-agent writes it:
/// a SHA-1-format header event (EV_NO_ACTION, "Spec ID Event03", one algorithm) and then TCG_PCR_EVENT2 records, each
/// an EV_EVENT_TAG whose data is TCG_PCClientTaggedEvent { taggedEventID 0x4141454c "AAEL", size, entry text } and
/// whose one digest is the bank's hash of those data bytes. All integers little-endian.
/// </summary>
public static class Tcg2Log
{
    public const uint EvNoAction = 0x3, EvEventTag = 0x6, AaelTag = 0x4141454c;
    private static readonly byte[] SpecIdSignature = "Spec ID Event03\0"u8.ToArray();

    public static byte[] Header(MeasurementBank bank)
    {
        var spec = new List<byte>(SpecIdSignature);
        Add32(spec, 0);                       // platformClass: client
        spec.AddRange([0, 2, 0, 2]);          // spec version 2.0 errata 0, UINTN is 64 bits
        Add32(spec, 1);                       // one algorithm
        Add16(spec, bank.AlgorithmId);
        Add16(spec, (ushort)bank.DigestSize);
        spec.Add(0);                          // no vendor info
        var header = new List<byte>();
        Add32(header, 0);
        Add32(header, EvNoAction);
        header.AddRange(new byte[20]);
        Add32(header, (uint)spec.Count);
        header.AddRange(spec);
        return [.. header];
    }

    public static byte[] TaggedEvent(string entryText)
    {
        var text = Encoding.UTF8.GetBytes(entryText);
        var data = new byte[8 + text.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(data, AaelTag);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(4), (uint)text.Length);
        text.CopyTo(data, 8);
        return data;
    }

    /// <summary>The bytes of one AAEL event record and the digest that the register is extended with.</summary>
    public static (byte[] Record, byte[] Digest) Event(uint registerIndex, MeasurementBank bank, string entryText)
    {
        var data = TaggedEvent(entryText);
        var digest = bank.Hash(data);
        var record = new List<byte>();
        Add32(record, registerIndex);
        Add32(record, EvEventTag);
        Add32(record, 1);
        Add16(record, bank.AlgorithmId);
        record.AddRange(digest);
        Add32(record, (uint)data.Length);
        record.AddRange(data);
        return ([.. record], digest);
    }

    /// <summary>Parses a whole log; Error names the header or the event (number and byte offset) that is malformed.</summary>
    public static (MeasurementBank? Bank, IReadOnlyList<Tcg2Event> Events, string? Error) Read(ReadOnlySpan<byte> log)
    {
        var events = new List<Tcg2Event>();
        if (ReadHeader(log, out var offset) is not { } bank)
            return (null, events, "header: not a TCG2 crypto-agile log with one SHA-256 or SHA-384 bank (Spec ID Event03)");
        while (offset < log.Length)
        {
            var number = events.Count + 1;
            var error = $"entry {number} (byte {offset}): truncated or malformed";
            var rest = log[offset..];
            var fixedSize = 12 + 2 + bank.DigestSize + 4;
            if (rest.Length < fixedSize) return (bank, events, error);
            if (BinaryPrimitives.ReadUInt32LittleEndian(rest[8..]) != 1 || BinaryPrimitives.ReadUInt16LittleEndian(rest[12..]) != bank.AlgorithmId)
                return (bank, events, $"entry {number} (byte {offset}): digests other than one {bank.Name}");
            var size = BinaryPrimitives.ReadUInt32LittleEndian(rest[(fixedSize - 4)..]);
            if (size > rest.Length - fixedSize) return (bank, events, error);
            events.Add(new Tcg2Event(number, BinaryPrimitives.ReadUInt32LittleEndian(rest), BinaryPrimitives.ReadUInt32LittleEndian(rest[4..]),
                rest.Slice(14, bank.DigestSize).ToArray(), rest.Slice(fixedSize, (int)size).ToArray()));
            offset += fixedSize + (int)size;
        }
        return (bank, events, null);
    }

    /// <summary>The entry text of an AAEL tagged event, or null when the data is not one.</summary>
    public static string? AaelText(byte[] data)
    {
        if (data.Length < 8 || BinaryPrimitives.ReadUInt32LittleEndian(data) != AaelTag) return null;
        var size = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(4));
        if (size != data.Length - 8) return null;
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(data, 8, (int)size);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static MeasurementBank? ReadHeader(ReadOnlySpan<byte> log, out int end)
    {
        end = 0;
        if (log.Length < 32 + 29 || BinaryPrimitives.ReadUInt32LittleEndian(log[4..]) != EvNoAction) return null;
        var size = BinaryPrimitives.ReadUInt32LittleEndian(log[28..]);
        if (size > log.Length - 32) return null;
        var spec = log.Slice(32, (int)size);
        if (spec.Length < 33 || !spec[..16].SequenceEqual(SpecIdSignature) || BinaryPrimitives.ReadUInt32LittleEndian(spec[24..]) != 1)
            return null;
        var bank = MeasurementBank.FromAlgorithmId(BinaryPrimitives.ReadUInt16LittleEndian(spec[28..]));
        if (bank is null || BinaryPrimitives.ReadUInt16LittleEndian(spec[30..]) != bank.DigestSize) return null;
        end = 32 + (int)size;
        return bank;
    }

    private static void Add32(List<byte> bytes, uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        bytes.AddRange(b);
    }

    private static void Add16(List<byte> bytes, ushort value)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, value);
        bytes.AddRange(b);
    }
}
