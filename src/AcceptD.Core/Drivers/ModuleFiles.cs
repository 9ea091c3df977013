namespace AcceptD.Core.Drivers;

/// <summary>
/// Parsers for the text files depmod writes into /lib/modules/VERSION. They are generated, but modules.dep(5) calls
/// their format informal, so every parser skips lines it does not understand instead of failing.
/// </summary>
internal static class ModuleFiles
{
    /// <summary>modules.alias / modules.builtin.alias: "alias PATTERN MODULE"; aliases with unpaired brackets are dropped, as depmod does.</summary>
    public static List<(string Pattern, string Module)> ParseAliases(string text)
    {
        var aliases = new List<(string, string)>();
        foreach (var range in text.AsSpan().Split('\n'))
        {
            var line = text.AsSpan(range).TrimEnd('\r');
            if (!line.StartsWith("alias ") && !line.StartsWith("alias\t")) continue;
            var words = KmodText.Words(line);
            if (words.Length < 3 || KmodText.NormaliseAlias(words[1]) is not { } pattern) continue;
            aliases.Add((pattern, ModuleName.Normalise(words[2])));
        }
        return aliases;
    }

    /// <summary>modules.builtin.modinfo: NUL-separated "module.key=value"; yields the "alias" values, as depmod indexes them.</summary>
    public static List<(string Pattern, string Module)> ParseBuiltinModinfo(string text)
    {
        var aliases = new List<(string, string)>();
        foreach (var range in text.AsSpan().Split('\0'))
        {
            var entry = text.AsSpan(range);
            var dot = entry.IndexOf('.');
            if (dot <= 0 || !entry[(dot + 1)..].StartsWith("alias=")) continue;
            if (KmodText.NormaliseAlias(entry[(dot + 7)..].ToString()) is not { } pattern) continue;
            aliases.Add((pattern, ModuleName.Normalise(entry[..dot].ToString())));
        }
        return aliases;
    }

    /// <summary>modules.builtin: one "kernel/.../name.ko" per line; yields module names.</summary>
    public static List<string> ParseBuiltin(string text)
    {
        var names = new List<string>();
        foreach (var range in text.AsSpan().Split('\n'))
        {
            var line = text.AsSpan(range).Trim();
            if (line.Length > 0 && line[0] != '#') names.Add(KmodText.ModuleNameOfPath(line));
        }
        return names;
    }

    /// <summary>modules.dep: "path: dep-path dep-path ..." with all (transitive) dependencies.</summary>
    public static Dictionary<string, ModuleDep> ParseDep(string text)
    {
        var deps = new Dictionary<string, ModuleDep>(StringComparer.Ordinal);
        foreach (var range in text.AsSpan().Split('\n'))
        {
            var line = text.AsSpan(range).Trim();
            var colon = line.IndexOf(':');
            if (colon <= 0 || line[0] == '#') continue;
            var path = line[..colon].Trim();
            deps.TryAdd(KmodText.ModuleNameOfPath(path), new ModuleDep(path.ToString(), line[(colon + 1)..].Trim().ToString()));
        }
        return deps;
    }
}

/// <summary>A modules.dep line: the module's file and its dependencies' files as written (split on demand).</summary>
internal sealed record ModuleDep(string RelativePath, string DependencyText)
{
    public string[] DependencyPaths => KmodText.Words(DependencyText);
}
