using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Text;

namespace AcceptD.Core.Tdisp;

/// <summary>One netlink attribute (type without the nested/byte-order flag bits, and its payload).</summary>
public sealed record NlAttribute(ushort Type, ImmutableArray<byte> Value)
{
    public uint? U32 => Value.Length == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(Value.AsSpan()) : null;

    public ushort? U16 => Value.Length >= 2 ? BinaryPrimitives.ReadUInt16LittleEndian(Value.AsSpan()) : null;

    public ulong? U64 => Value.Length == 8 ? BinaryPrimitives.ReadUInt64LittleEndian(Value.AsSpan()) : null;

    /// <summary>NLA_STRING / NLA_NUL_STRING: text up to the first NUL.</summary>
    public string String
    {
        get
        {
            var span = Value.AsSpan();
            var nul = span.IndexOf((byte)0);
            return Encoding.UTF8.GetString(nul < 0 ? span : span[..nul]);
        }
    }
}
