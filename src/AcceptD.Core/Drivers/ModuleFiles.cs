using System.Buffers;

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
        var modules = new Dictionary<string, string>(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var range in text.AsSpan().Split('\n'))
        {
            var line = text.AsSpan(range);
            if (!line.StartsWith("alias") || line.Length < 6 || line[5] is not (' ' or '\t')) continue;
            var rest = line[6..].TrimStart(" \t");
            var patternEnd = rest.IndexOfAny(Blanks);
            if (patternEnd < 0) continue;
            var module = rest[patternEnd..].TrimStart(" \t");
            module = module[..(module.IndexOfAny(BlanksAndCr) is var end and >= 0 ? end : module.Length)];
            if (module.IsEmpty || KmodText.NormaliseAlias(rest[..patternEnd].ToString()) is not { } pattern) continue;
            // One string per module, not per line: a module has dozens of aliases.
            if (!modules.TryGetValue(module, out var name)) modules[module] = name = ModuleName.Normalise(module.ToString());
            aliases.Add((pattern, name));
        }
        return aliases;
    }

    private static readonly SearchValues<char> Blanks = SearchValues.Create(" \t");
    private static readonly SearchValues<char> BlanksAndCr = SearchValues.Create(" \t\r");

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
            if (ParseDepLine(text.AsSpan(range)) is { } dep) deps.TryAdd(KmodText.ModuleNameOfPath(dep.RelativePath), dep);
        return deps;
    }

    /// <summary>One modules.dep line, also the value modules.dep.bin stores under the module's name; null when it is not one.</summary>
    public static ModuleDep? ParseDepLine(ReadOnlySpan<char> line)
    {
        line = line.Trim();
        var colon = line.IndexOf(':');
        if (colon <= 0 || line[0] == '#') return null;
        return new ModuleDep(line[..colon].Trim().ToString(), line[(colon + 1)..].Trim().ToString());
    }
}

/// <summary>A modules.dep line: the module's file and its dependencies' files as written (split on demand).</summary>
internal sealed record ModuleDep(string RelativePath, string DependencyText)
{
    public string[] DependencyPaths => KmodText.Words(DependencyText);
}
