using AcceptD.Core.Devices;

namespace AcceptD.Core.Drivers;

/// <summary>
/// The modprobe.d configuration as kmod reads it: every "*.conf" file of the configuration directories, a file in an
/// earlier directory hiding a same-named one in a later directory, read in order of file name; depmod's
/// modules.softdep is read as one more such file. Bad lines are skipped and reported in Warnings.
/// </summary>
public sealed class ModprobeConfig
{
    /// <summary>kmod's default directories, most important first.</summary>
    public static readonly IReadOnlyList<string> DefaultDirectories =
        ["/etc/modprobe.d", "/run/modprobe.d", "/usr/local/lib/modprobe.d", "/usr/lib/modprobe.d", "/lib/modprobe.d"];

    private readonly List<(string Pattern, string Module)> _aliases = [];
    private readonly HashSet<string> _blacklist = new(StringComparer.Ordinal);
    private readonly HashSet<string> _installCommands = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Softdep> _softdeps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);
    private readonly List<string> _warnings = [];

    private ModprobeConfig() { }

    public static readonly ModprobeConfig Empty = new();

    /// <summary>"alias" lines as (normalised pattern, module), in reading order.</summary>
    public IReadOnlyList<(string Pattern, string Module)> Aliases => _aliases;

    public IReadOnlySet<string> Blacklist => _blacklist;

    /// <summary>Names that have an "install" command: kmod treats such a name as a module of its own.</summary>
    public IReadOnlySet<string> InstallCommands => _installCommands;

    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>The first softdep line for the module (kmod uses only the first, as module-init-tools did).</summary>
    public Softdep? SoftdepOf(string module) => _softdeps.GetValueOrDefault(ModuleName.Normalise(module));

    /// <summary>All "options" lines for the module joined with spaces, null when there are none.</summary>
    public string? OptionsFor(string module) => _options.GetValueOrDefault(ModuleName.Normalise(module));

    /// <summary>Reads the configuration directories and, when given, depmod's modules.softdep file.</summary>
    public static ModprobeConfig Load(IFileView files, IReadOnlyList<string> directories, string? softdepFile = null)
    {
        var byName = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var dir in directories)
            foreach (var name in files.List(dir))
                if (!name.StartsWith('.') && name.EndsWith(".conf", StringComparison.Ordinal))
                    byName.TryAdd(name, dir.TrimEnd('/') + "/" + name);
        if (softdepFile is not null) byName.TryAdd(softdepFile[(softdepFile.LastIndexOf('/') + 1)..], softdepFile);

        var config = new ModprobeConfig();
        foreach (var path in byName.Values)
            if (files.Read(path) is { } text) config.Parse(text, path);
        return config;
    }

    private void Parse(string text, string path)
    {
        foreach (var (number, line) in JoinContinuations(text))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var words = KmodText.Words(line);
            if (words.Length == 0) continue;
            if (Apply(words) is { } problem) _warnings.Add($"{path}:{number}: {problem}");
        }
    }

    /// <summary>Applies one line; returns what is wrong with it, or null.</summary>
    private string? Apply(string[] words)
    {
        var command = words[0];
        if (command is "include" or "config") return $"'{command}' is no longer supported by kmod; line ignored";
        if (command is not ("alias" or "blacklist" or "options" or "install" or "remove" or "softdep"))
            return $"unknown command '{command}'; line ignored";
        if (words.Length < (command == "blacklist" ? 2 : 3))
            return $"'{command}' needs {(command == "blacklist" ? "a module name" : "more arguments")}; line ignored";
        var subject = KmodText.NormaliseAlias(words[1]);
        if (subject is null) return $"unmatched bracket in '{words[1]}'; line ignored";
        var rest = string.Join(' ', words.Skip(2));
        switch (command)
        {
            case "alias":
                _aliases.Add((subject, ModuleName.Normalise(words[2])));
                break;
            case "blacklist":
                _blacklist.Add(subject);
                break;
            case "options":
                _options[subject] = _options.TryGetValue(subject, out var earlier) ? earlier + " " + rest : rest;
                break;
            case "install":
                _installCommands.Add(subject);
                break;
            case "softdep":
                AddSoftdep(subject, words.AsSpan(2));
                break;
        }
        return null;
    }

    /// <summary>
    /// Words before "pre:" or "post:" are ignored, as kmod does (depmod writes "softdep cifs gcm" for
    /// MODULE_SOFTDEP("gcm")), and such a line still counts as the module's first softdep.
    /// </summary>
    private void AddSoftdep(string module, ReadOnlySpan<string> words)
    {
        List<string> pre = [], post = [];
        List<string>? current = null;
        foreach (var w in words)
        {
            if (w == "pre:") current = pre;
            else if (w == "post:") current = post;
            else current?.Add(w);
        }
        _softdeps.TryAdd(module, new Softdep(module, pre, post));
    }

    /// <summary>Lines with a trailing backslash continue on the next line (kmod's getline_wrapped).</summary>
    private static IEnumerable<(int Number, string Line)> JoinContinuations(string text)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var start = i;
            var line = lines[i].TrimEnd('\r');
            while (line.EndsWith('\\') && i + 1 < lines.Length)
                line = line[..^1] + lines[++i].TrimEnd('\r');
            yield return (start + 1, line.TrimStart(' ', '\t'));
        }
    }
}
