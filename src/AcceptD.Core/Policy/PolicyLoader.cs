using System.Collections.Immutable;
using AcceptD.Core.Devices;

namespace AcceptD.Core.Policy;

/// <summary>
/// Loads a policy from rules.d directories, systemd drop-in style: *.rules files; a name in an earlier directory
/// masks the same name in later ones; an empty file or a link to /dev/null masks without adding rules; all files
/// are read in name order and their rules concatenated (first match wins, the default applies last).
/// Any error anywhere means no policy at all.
/// </summary>
public static class PolicyLoader
{
    /// <summary>The standard directories, highest precedence first.</summary>
    public static readonly ImmutableArray<string> StandardDirectories =
        ["/etc/acceptd/rules.d", "/run/acceptd/rules.d", "/usr/lib/acceptd/rules.d"];

    public const string FileSuffix = ".rules";

    private const string DevNull = "/dev/null";

    public static PolicyLoadResult Load(IFileView files, IReadOnlyList<string> dirs) => LoadFiles(files, SelectFiles(files, dirs));

    /// <summary>The files that take part, sorted by file name, masked ones left out.</summary>
    public static ImmutableArray<string> SelectFiles(IFileView files, IReadOnlyList<string> dirs)
    {
        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var dir in dirs)
            foreach (var name in files.List(dir))
                if (name.Length > FileSuffix.Length && name.EndsWith(FileSuffix, StringComparison.Ordinal))
                    byName.TryAdd(name, dir.TrimEnd('/') + "/" + name);
        return byName
            .Where(entry => !IsMask(files, entry.Value))
            .OrderBy(entry => entry.Key, StringComparer.Ordinal)
            .Select(entry => entry.Value)
            .ToImmutableArray();
    }

    /// <summary>Loads exactly these files, ordered by file name like files from directories.</summary>
    public static PolicyLoadResult LoadFiles(IFileView files, IEnumerable<string> paths)
    {
        var sources = new List<(string, string)>();
        var unreadable = new List<PolicyDiagnostic>();
        foreach (var path in paths.OrderBy(FileName, StringComparer.Ordinal).ThenBy(p => p, StringComparer.Ordinal))
        {
            if (files.Read(path) is { } text) sources.Add((path, text));
            else unreadable.Add(PolicyDiagnostic.Error(new SourceLocation(path, 0, 0), "cannot read policy file" + (files.Problem(path) is { } why ? ": " + why : "")));
        }
        var result = FromSources(sources);
        return unreadable.Count == 0 ? result : new PolicyLoadResult(null, [.. unreadable, .. result.Diagnostics]);
    }

    /// <summary>Builds a policy from file texts given in load order.</summary>
    public static PolicyLoadResult FromSources(IEnumerable<(string File, string Text)> sources)
    {
        var diagnostics = ImmutableArray.CreateBuilder<PolicyDiagnostic>();
        var rules = new List<Rule>();
        var defaults = new List<Rule>();
        var fileNames = ImmutableArray.CreateBuilder<string>();
        foreach (var (file, text) in sources)
        {
            var parsed = PolicyParser.ParseFile(file, text);
            fileNames.Add(file);
            diagnostics.AddRange(parsed.Diagnostics);
            foreach (var rule in parsed.Rules) (rule.IsDefault ? defaults : rules).Add(rule);
        }
        foreach (var extra in defaults.Skip(1))
            diagnostics.Add(PolicyDiagnostic.Error(extra.Location, $"more than one 'default' (first at {defaults[0].Location.File}:{defaults[0].Location.Line})"));
        diagnostics.AddRange(RuleShadowing.Check(rules));
        var @default = defaults.FirstOrDefault();
        if (@default is null)
        {
            @default = ImplicitDefault;
            diagnostics.Add(new PolicyDiagnostic(DiagnosticSeverity.Warning, null, "no 'default' line in any policy file: using 'default deny'"));
        }
        var hasErrors = diagnostics.Any(d => d.IsError);
        return new PolicyLoadResult(hasErrors ? null : new Policy([.. rules], @default, fileNames.ToImmutable()), diagnostics.ToImmutable());
    }

    /// <summary>Fail closed when no file says what to do with unmatched devices.</summary>
    public static readonly Rule ImplicitDefault = new(
        Verdict.Deny, [], new SourceLocation("(implicit)", 0, 0), "default deny",
        reason: "no rule matched and the policy has no 'default' line", isDefault: true);

    private static bool IsMask(IFileView files, string path) => files.ReadLink(path) == DevNull || files.Read(path) == "";

    private static string FileName(string path) => path[(path.LastIndexOf('/') + 1)..];
}
