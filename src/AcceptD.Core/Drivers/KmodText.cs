namespace AcceptD.Core.Drivers;

/// <summary>kmod's text conventions, shared by the module index files and modprobe.d.</summary>
internal static class KmodText
{
    /// <summary>
    /// kmod's alias_normalize(): '-' becomes '_' outside bracket expressions. Null when a ']' stands alone or a '['
    /// is never closed: depmod drops such aliases and kmod refuses such lookups.
    /// </summary>
    public static string? NormaliseAlias(string alias)
    {
        if (alias.AsSpan().IndexOfAny('-', '[', ']') < 0) return alias;
        var chars = alias.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            switch (chars[i])
            {
                case '-':
                    chars[i] = '_';
                    break;
                case ']':
                    return null;
                case '[':
                    var close = alias.IndexOf(']', i + 1);
                    if (close < 0) return null;
                    i = close;
                    break;
            }
        }
        return new string(chars);
    }

    /// <summary>The module name of a path as kmod derives it: the base name up to its first '.', with '_' for '-'.</summary>
    public static string ModuleNameOfPath(ReadOnlySpan<char> path)
    {
        var name = path[(path.LastIndexOf('/') + 1)..];
        var dot = name.IndexOf('.');
        return ModuleName.Normalise((dot < 0 ? name : name[..dot]).ToString());
    }

    /// <summary>Splits a line at blanks (space or tab), as kmod's strtok(" \t") does.</summary>
    public static string[] Words(ReadOnlySpan<char> line) =>
        line.ToString().Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
}
