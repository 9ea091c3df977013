using System.Buffers.Binary;
using System.Text;

namespace AcceptD.Testing.TsmSimulator;

/// <summary>
/// The simulator's own netlink codec, written apart from the production one so that the two check each other:
/// what the kernel would parse from our requests, and how it frames its replies (linux/netlink.h, genetlink.h).
/// </summary>
public static class NetlinkWire
{
    public sealed record Request(ushort Type, ushort Flags, uint Seq, byte Cmd, byte Version, Dictionary<ushort, byte[]> Attrs)
    {
        public string? Str(ushort type) =>
            Attrs.TryGetValue(type, out var v) ? Encoding.UTF8.GetString(v).TrimEnd('\0') : null;

        public uint? U32(ushort type) =>
            Attrs.TryGetValue(type, out var v) && v.Length == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(v) : null;
    }

    /// <summary>Parses one request exactly as the kernel would: length must match, attributes 4-aligned.</summary>
    public static Request ParseRequest(ReadOnlySpan<byte> bytes)
    {
        var length = BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        if (length != bytes.Length || length < 20) throw new InvalidDataException($"request length {length} vs {bytes.Length}");
        var attrs = new Dictionary<ushort, byte[]>();
        var at = 20;
        while (at < length)
        {
            var len = BinaryPrimitives.ReadUInt16LittleEndian(bytes[at..]);
            var type = BinaryPrimitives.ReadUInt16LittleEndian(bytes[(at + 2)..]);
            if (len < 4 || at + len > length) throw new InvalidDataException($"bad attribute {type} length {len}");
            attrs[type] = bytes.Slice(at + 4, len - 4).ToArray();
            at += (len + 3) & ~3;
        }
        return new Request(
            BinaryPrimitives.ReadUInt16LittleEndian(bytes[4..]), BinaryPrimitives.ReadUInt16LittleEndian(bytes[6..]),
            BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]), bytes[16], bytes[17], attrs);
    }

    public static byte[] Attr(ushort type, ReadOnlySpan<byte> value)
    {
        var bytes = new byte[(4 + value.Length + 3) & ~3];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)(4 + value.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2), type);
        value.CopyTo(bytes.AsSpan(4));
        return bytes;
    }

    public static byte[] U32(ushort type, uint value)
    {
        Span<byte> v = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(v, value);
        return Attr(type, v);
    }

    public static byte[] Message(ushort type, ushort flags, uint seq, ReadOnlySpan<byte> payload)
    {
        var bytes = new byte[(16 + payload.Length + 3) & ~3];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)(16 + payload.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4), type);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(6), flags);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), seq);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(12), 4242); // our port id
        payload.CopyTo(bytes.AsSpan(16));
        return bytes;
    }

    public static byte[] Genl(ushort family, ushort flags, uint seq, byte cmd, params byte[][] attrs) =>
        Message(family, flags, seq, [cmd, 1, 0, 0, .. attrs.SelectMany(a => a)]);

    /// <summary>NLMSG_ERROR: -errno, the request header (capped), and an extack message when given.</summary>
    public static byte[] Error(Request request, int errno, string? extAck = null)
    {
        var payload = new List<byte>(new byte[4 + 16]);
        BinaryPrimitives.WriteInt32LittleEndian(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(payload), -errno);
        var header = Message(request.Type, request.Flags, request.Seq, []);
        for (var i = 0; i < 16; i++) payload[4 + i] = header[i];
        ushort flags = 0x100;
        if (extAck is not null)
        {
            payload.AddRange(Attr(1, [.. Encoding.UTF8.GetBytes(extAck), 0]));
            flags |= 0x200;
        }
        return Message(2, flags, request.Seq, [.. payload]);
    }

    /// <summary>NLMSG_DONE ending a dump, with its error word (0 or -errno) and an optional extack.</summary>
    public static byte[] Done(uint seq, int errno = 0, string? extAck = null)
    {
        var payload = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(payload, -errno);
        return extAck is null
            ? Message(3, 0x2, seq, payload)
            : Message(3, 0x2 | 0x200, seq, [.. payload, .. Attr(1, [.. Encoding.UTF8.GetBytes(extAck), 0])]);
    }
}
