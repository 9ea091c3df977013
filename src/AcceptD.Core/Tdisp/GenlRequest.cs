using System.Buffers.Binary;
using System.Text;

namespace AcceptD.Core.Tdisp;

/// <summary>Builds one generic netlink request: nlmsghdr, genlmsghdr, attributes padded to 4 bytes.</summary>
public sealed class GenlRequest
{
    private readonly List<byte> _bytes = new(64);

    public GenlRequest(ushort family, ushort flags, uint seq, byte command, byte version)
    {
        _bytes.AddRange(new byte[NetlinkProtocol.HeaderSize]);
        Put16(4, family);
        Put16(6, flags);
        Put32(8, seq);
        _bytes.AddRange([command, version, 0, 0]);
    }

    public GenlRequest U32(ushort type, uint value)
    {
        Span<byte> v = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(v, value);
        return Bytes(type, v);
    }

    public GenlRequest U16(ushort type, ushort value)
    {
        Span<byte> v = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(v, value);
        return Bytes(type, v);
    }

    public GenlRequest U64(ushort type, ulong value)
    {
        Span<byte> v = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(v, value);
        return Bytes(type, v);
    }

    /// <summary>NUL-terminated, as NLA_NUL_STRING and NLA_STRING both accept.</summary>
    public GenlRequest String(ushort type, string value) => Bytes(type, [.. Encoding.UTF8.GetBytes(value), 0]);

    public GenlRequest Bytes(ushort type, ReadOnlySpan<byte> value)
    {
        var start = _bytes.Count;
        _bytes.AddRange(new byte[NetlinkProtocol.AttributeHeaderSize]);
        Put16(start, (ushort)(NetlinkProtocol.AttributeHeaderSize + value.Length));
        Put16(start + 2, type);
        _bytes.AddRange(value.ToArray());
        while (_bytes.Count % 4 != 0) _bytes.Add(0);
        return this;
    }

    public byte[] ToArray()
    {
        Put32(0, (uint)_bytes.Count);
        return [.. _bytes];
    }

    private void Put16(int at, ushort v) { _bytes[at] = (byte)v; _bytes[at + 1] = (byte)(v >> 8); }

    private void Put32(int at, uint v) { Put16(at, (ushort)v); Put16(at + 2, (ushort)(v >> 16)); }
}
