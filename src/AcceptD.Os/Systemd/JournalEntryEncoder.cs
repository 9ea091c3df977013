using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace AcceptD.Os.Systemd;

/// <summary>
/// journald's native protocol encoding of one entry (systemd.io/JOURNAL_NATIVE_PROTOCOL): <c>NAME=value\n</c>, or for
/// values containing a newline <c>NAME\n</c> + 64-bit little-endian length + raw bytes + <c>\n</c>.
/// </summary>
public static class JournalEntryEncoder
{
    /// <summary>journald drops names longer than this.</summary>
    public const int MaxFieldNameLength = 64;

    public static byte[] Encode(IEnumerable<KeyValuePair<string, string>> fields)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        foreach (var (name, value) in fields)
        {
            if (!IsValidFieldName(name))
                throw new ArgumentException($"'{name}' is not a valid journal field name (A-Z, 0-9, '_', not leading '_', at most 64).", nameof(fields));
            Write(buffer, name);
            var bytes = Encoding.UTF8.GetBytes(value);
            if (value.Contains('\n'))
            {
                buffer.Write("\n"u8);
                BinaryPrimitives.WriteUInt64LittleEndian(buffer.GetSpan(8), (ulong)bytes.Length);
                buffer.Advance(8);
            }
            else
            {
                buffer.Write("="u8);
            }
            buffer.Write(bytes);
            buffer.Write("\n"u8);
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// A valid field name made from an arbitrary property name: upper case, every other character '_', a leading '_'
    /// (reserved for journald's trusted fields) avoided by <paramref name="prefix"/>, cut to 64 characters.
    /// </summary>
    public static string FieldName(string prefix, string propertyName)
    {
        var name = new StringBuilder(prefix.Length + propertyName.Length);
        name.Append(prefix);
        foreach (var c in propertyName)
            name.Append(char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_');
        var result = name.Length > MaxFieldNameLength ? name.ToString(0, MaxFieldNameLength) : name.ToString();
        return IsValidFieldName(result) ? result : throw new ArgumentException($"prefix '{prefix}' cannot start a journal field name", nameof(prefix));
    }

    public static bool IsValidFieldName(string name) =>
        name.Length is > 0 and <= MaxFieldNameLength && name[0] != '_' && !char.IsAsciiDigit(name[0])
        && name.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_');

    private static void Write(ArrayBufferWriter<byte> buffer, string ascii) => buffer.Write(Encoding.ASCII.GetBytes(ascii));
}
