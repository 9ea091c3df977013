using System.Globalization;
using System.Text;

namespace AcceptD.Core.Measurement;

/// <summary>
/// RFC 8785 (JCS) canonical JSON for the value kinds AcceptD emits: string, long, bool, null, lists, and objects
/// (string-keyed dictionaries). Keys sort by UTF-16 code units (§3.2.3, what <see cref="StringComparer.Ordinal"/> does);
/// strings escape only '"', '\\' and U+0000..U+001F, the five with a short form as \b \t \n \f \r and the rest as
/// lowercase \u00xx (§3.2.2.2); everything else is written as itself, no whitespace anywhere. Floating-point numbers are
/// not accepted: nothing we measure is one, and JCS's number form would be the only hard part.
/// </summary>
public static class CanonicalJson
{
    public static string Serialize(object? value)
    {
        var text = new StringBuilder();
        Write(text, value);
        return text.ToString();
    }

    private static void Write(StringBuilder text, object? value)
    {
        switch (value)
        {
            case null: text.Append("null"); break;
            case bool b: text.Append(b ? "true" : "false"); break;
            case string s: WriteString(text, s); break;
            case int or long: text.Append(Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)); break;
            case IReadOnlyDictionary<string, object?> map: WriteObject(text, map); break;
            case IEnumerable<object?> list: WriteArray(text, list); break;
            default: throw new ArgumentException($"canonical JSON has no form for {value.GetType().Name}", nameof(value));
        }
    }

    private static void WriteObject(StringBuilder text, IReadOnlyDictionary<string, object?> map)
    {
        text.Append('{');
        var first = true;
        foreach (var key in map.Keys.Order(StringComparer.Ordinal))
        {
            if (!first) text.Append(',');
            first = false;
            WriteString(text, key);
            text.Append(':');
            Write(text, map[key]);
        }
        text.Append('}');
    }

    private static void WriteArray(StringBuilder text, IEnumerable<object?> list)
    {
        text.Append('[');
        var first = true;
        foreach (var item in list)
        {
            if (!first) text.Append(',');
            first = false;
            Write(text, item);
        }
        text.Append(']');
    }

    private static void WriteString(StringBuilder text, string s)
    {
        text.Append('"');
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (char.IsSurrogate(c) && !(char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])))
                throw new ArgumentException("a lone surrogate has no UTF-8 form (RFC 8785 §3.2.2.2)", nameof(s));
            if (char.IsHighSurrogate(c)) { text.Append(c).Append(s[++i]); continue; }
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\b' => "\\b",
                '\t' => "\\t",
                '\n' => "\\n",
                '\f' => "\\f",
                '\r' => "\\r",
                < ' ' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        text.Append('"');
    }
}
