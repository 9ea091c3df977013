using System.Buffers.Binary;
using System.Collections.Immutable;

namespace AcceptD.Core.Tdisp;

/// <summary>
/// Decodes a netlink datagram into messages. Never throws: anything malformed ends decoding with an error, keeping the
/// messages decoded before it. Types below 0x10 other than ERROR/DONE (NOOP, OVERRUN) are skipped; the rest are
/// treated as generic netlink messages.
/// </summary>
public static class NetlinkDecoder
{
    public static ImmutableArray<NetlinkMessage> Decode(ReadOnlySpan<byte> datagram, out string? error)
    {
        var messages = ImmutableArray.CreateBuilder<NetlinkMessage>();
        error = null;
        while (datagram.Length >= NetlinkProtocol.HeaderSize)
        {
            var length = BinaryPrimitives.ReadUInt32LittleEndian(datagram);
            if (length < NetlinkProtocol.HeaderSize || length > datagram.Length)
            {
                error = $"netlink message length {length} outside 16..{datagram.Length}";
                return messages.ToImmutable();
            }
            var type = BinaryPrimitives.ReadUInt16LittleEndian(datagram[4..]);
            var flags = BinaryPrimitives.ReadUInt16LittleEndian(datagram[6..]);
            var seq = BinaryPrimitives.ReadUInt32LittleEndian(datagram[8..]);
            var payload = datagram[NetlinkProtocol.HeaderSize..(int)length];
            NetlinkMessage? message = type switch
            {
                NetlinkProtocol.NlmsgError or NetlinkProtocol.NlmsgDone => DecodeStatus(type, flags, seq, payload, out error),
                < NetlinkProtocol.GenlIdCtrl => null,
                _ => DecodeGenl(type, flags, seq, payload, out error),
            };
            if (error is not null) return messages.ToImmutable();
            if (message is not null) messages.Add(message);
            datagram = datagram[Math.Min(datagram.Length, NetlinkProtocol.Align((int)length))..];
        }
        if (!datagram.IsEmpty) error = $"{datagram.Length} trailing bytes after the last netlink message";
        return messages.ToImmutable();
    }

    private static GenlMessage? DecodeGenl(ushort type, ushort flags, uint seq, ReadOnlySpan<byte> payload, out string? error)
    {
        if (payload.Length < NetlinkProtocol.GenlHeaderSize)
        {
            error = $"generic netlink message of {payload.Length} bytes has no genlmsghdr";
            return null;
        }
        var attributes = DecodeAttributes(payload[NetlinkProtocol.GenlHeaderSize..], out error);
        return error is null ? new GenlMessage(type, flags, seq, payload[0], payload[1], attributes) : null;
    }

    /// <summary>Payload: s32 error, then (ERROR only) the original header, its body unless capped, and extack TLVs.</summary>
    private static NetlinkStatus? DecodeStatus(ushort type, ushort flags, uint seq, ReadOnlySpan<byte> payload, out string? error)
    {
        error = null;
        // A dump's DONE may come without the error word on old kernels: that means success.
        if (payload.Length < 4)
            return type == NetlinkProtocol.NlmsgDone ? new NetlinkStatus(type, flags, seq, 0, null) : Bad(out error, "NLMSG_ERROR without an error code");
        var errno = -BinaryPrimitives.ReadInt32LittleEndian(payload);
        string? extAck = null;
        var rest = payload[4..];
        if (type == NetlinkProtocol.NlmsgError)
        {
            if (rest.Length < NetlinkProtocol.HeaderSize) return Bad(out error, "NLMSG_ERROR without the original header");
            var skip = (flags & NetlinkProtocol.FlagCapped) != 0
                ? NetlinkProtocol.HeaderSize
                : (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(rest), (uint)rest.Length);
            rest = rest[Math.Min(rest.Length, NetlinkProtocol.Align(Math.Max(skip, NetlinkProtocol.HeaderSize)))..];
        }
        if ((flags & NetlinkProtocol.FlagAckTlvs) != 0)
        {
            var tlvs = DecodeAttributes(rest, out var tlvError);
            extAck = tlvError is null ? tlvs.FirstOrDefault(a => a.Type == NetlinkProtocol.NlmsgerrAttrMsg)?.String : null;
        }
        return new NetlinkStatus(type, flags, seq, errno, extAck);
    }

    private static NetlinkStatus? Bad(out string? error, string text) { error = text; return null; }

    public static ImmutableArray<NlAttribute> DecodeAttributes(ReadOnlySpan<byte> data, out string? error)
    {
        var attributes = ImmutableArray.CreateBuilder<NlAttribute>();
        error = null;
        while (data.Length >= NetlinkProtocol.AttributeHeaderSize)
        {
            var length = BinaryPrimitives.ReadUInt16LittleEndian(data);
            var type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(data[2..]) & 0x3fff);
            if (length < NetlinkProtocol.AttributeHeaderSize || length > data.Length)
            {
                error = $"attribute {type} length {length} outside 4..{data.Length}";
                return attributes.ToImmutable();
            }
            attributes.Add(new NlAttribute(type, [.. data[NetlinkProtocol.AttributeHeaderSize..length]]));
            data = data[Math.Min(data.Length, NetlinkProtocol.Align(length))..];
        }
        if (!data.IsEmpty) error = $"{data.Length} stray bytes after the last attribute";
        return attributes.ToImmutable();
    }
}
