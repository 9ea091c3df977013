using System.Buffers.Binary;
using System.Text;

namespace AcceptD.Os.Tests.Systemd;

/// <summary>An independent reader of journald's native protocol (as journald's journal-importer parses it).</summary>
internal static class JournalEntryDecoder
{
    public sealed record Field(string Name, string Value, bool Binary);

    public static List<Field> Decode(ReadOnlySpan<byte> data)
    {
        var fields = new List<Field>();
        while (!data.IsEmpty)
        {
            var end = data.IndexOfAny((byte)'=', (byte)'\n');
            if (end < 0)
                throw new FormatException("field without '=' or newline");
            var name = Encoding.ASCII.GetString(data[..end]);
            if (data[end] == (byte)'=')
            {
                var newline = data.IndexOf((byte)'\n');
                fields.Add(new(name, Encoding.UTF8.GetString(data[(end + 1)..newline]), false));
                data = data[(newline + 1)..];
            }
            else
            {
                var length = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(data[(end + 1)..]));
                var start = end + 1 + 8;
                if (data[start + length] != (byte)'\n')
                    throw new FormatException($"binary field {name} not followed by a newline");
                fields.Add(new(name, Encoding.UTF8.GetString(data.Slice(start, length)), true));
                data = data[(start + length + 1)..];
            }
        }
        return fields;
    }
}
