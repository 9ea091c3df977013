using System.Text;

namespace AcceptD.Core.Text;

/// <summary>
/// The one way untrusted text (device names, sysfs values, archive fields, policy lines) is shown: in tables,
/// log lines, error messages and generated rules. A hypervisor picks device names and attribute values, so an
/// ESC sequence would reach the operator's terminal and a newline would forge a table row or a log line.
/// </summary>
public static class Printable
{
    /// <summary>The text with every control character (C0, DEL, C1, line and paragraph separators) written as \n, \t, \r or \xNN / \uNNNN.</summary>
    public static string Escape(string? text)
    {
        if (text is null || !NeedsEscape(text)) return text ?? "";
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (!IsUnsafe(c)) escaped.Append(c);
            else escaped.Append(c switch
            {
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                < '\u0100' => $"\\x{(int)c:x2}",
                _ => $"\\u{(int)c:x4}",
            });
        }
        return escaped.ToString();
    }

    /// <summary>
    /// The text with each control character but tab replaced by <paramref name="replacement"/>, for text that must stay
    /// what it is rather than become an escape (a generated rule: the glob '?' keeps it one line and matching). Tab is
    /// kept: inside a quoted policy value it is ordinary whitespace.
    /// </summary>
    public static string Replace(string text, char replacement) =>
        NeedsEscape(text) ? string.Create(text.Length, text, (span, t) =>
        {
            for (var i = 0; i < t.Length; i++) span[i] = IsUnsafe(t[i]) && t[i] != '\t' ? replacement : t[i];
        }) : text;

    public static bool NeedsEscape(string text) => text.AsSpan().IndexOfAnyInRange('\0', '\u001f') >= 0 || text.Any(IsUnsafe);

    private static bool IsUnsafe(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';
}
