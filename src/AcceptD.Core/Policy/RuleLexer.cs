using System.Collections.Immutable;
using System.Text;

namespace AcceptD.Core.Policy;

/// <summary>One word of a rule line: KEY=VALUE, or a bare word (Value null) such as the target. Columns are 1-based.</summary>
internal sealed record LexedItem(string Key, string? Value, int KeyColumn, int ValueColumn);

/// <summary>A problem on a line, at a 1-based column.</summary>
internal sealed record LineError(int Column, string Message);

/// <summary>
/// Splits one policy line into words. Values are bare (no whitespace, '"' or '#') or double-quoted with \" and \\
/// escapes (any other backslash stays, so glob escapes like "a\*" survive). '#' outside quotes starts a comment.
/// </summary>
internal static class RuleLexer
{
    /// <summary>The words of the line (empty for blank and comment lines), or the first problem found.</summary>
    public static ImmutableArray<LexedItem> Lex(string line, out LineError? error)
    {
        error = null;
        var items = ImmutableArray.CreateBuilder<LexedItem>();
        var i = 0;
        while (true)
        {
            while (i < line.Length && char.IsWhiteSpace(line[i])) i++;
            if (i >= line.Length || line[i] == '#') return items.ToImmutable();
            var keyStart = i;
            while (i < line.Length && !EndsWord(line[i]) && line[i] is not ('=' or '"')) i++;
            var key = line[keyStart..i];
            if (i < line.Length && line[i] == '"')
            {
                error = key.Length == 0
                    ? new LineError(i + 1, "unexpected '\"': a quoted value must follow KEY=")
                    : new LineError(keyStart + 1, $"missing '=' after '{key}'");
                return [];
            }
            if (i >= line.Length || line[i] != '=')
            {
                items.Add(new LexedItem(key, null, keyStart + 1, 0));
                continue;
            }
            if (key.Length == 0)
            {
                error = new LineError(keyStart + 1, "missing key before '='");
                return [];
            }
            i++;
            var valueStart = i;
            var value = i < line.Length && line[i] == '"' ? ReadQuoted(line, ref i, out error) : ReadBare(line, ref i, out error);
            if (error is not null) return [];
            if (value!.Length == 0)
            {
                error = new LineError(valueStart + 1, $"empty value for '{key}'");
                return [];
            }
            items.Add(new LexedItem(key, value, keyStart + 1, valueStart + 1));
        }
    }

    private static bool EndsWord(char c) => char.IsWhiteSpace(c) || c == '#';

    private static string? ReadBare(string line, ref int i, out LineError? error)
    {
        error = null;
        var start = i;
        if (i < line.Length && line[i] == '\'')
        {
            error = new LineError(i + 1, "a value cannot start with a single quote (it would match the quote itself): use double quotes, \"...\"");
            return null;
        }
        while (i < line.Length && !EndsWord(line[i]))
        {
            if (line[i] == '"')
            {
                error = new LineError(i + 1, "unexpected '\"' inside a value: quote the whole value");
                return null;
            }
            i++;
        }
        return line[start..i];
    }

    private static string? ReadQuoted(string line, ref int i, out LineError? error)
    {
        error = null;
        var open = i++;
        var text = new StringBuilder();
        while (i < line.Length)
        {
            var c = line[i];
            if (c == '\\' && i + 1 < line.Length && line[i + 1] is '"' or '\\')
            {
                text.Append(line[i + 1]);
                i += 2;
                continue;
            }
            if (c == '"')
            {
                i++;
                if (i < line.Length && !EndsWord(line[i]))
                {
                    error = new LineError(i + 1, "expected whitespace after the closing quote");
                    return null;
                }
                return text.ToString();
            }
            text.Append(c);
            i++;
        }
        error = new LineError(open + 1, "unterminated quote");
        return null;
    }
}
