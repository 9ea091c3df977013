using AcceptD.Core.Devices;

namespace AcceptD.Core.Drivers;

/// <summary>
/// The module index of one kernel (/lib/modules/VERSION) plus the modprobe.d configuration, answering the questions
/// kmod answers: which modules a modalias resolves to, what must be loaded first, whether a module is built in,
/// blacklisted or has options. Immutable; reads its files once, through an IFileView (modules.symbols only when a
/// "symbol:" lookup first needs it: no device lookup does).
/// </summary>
public sealed class ModuleIndex
{
    private readonly ModprobeConfig _config;
    private readonly AliasTable _configAliases;
    private readonly AliasTable _aliases;
    private readonly AliasTable _builtinAliases;
    private readonly Lazy<AliasTable> _symbols;
    private readonly HashSet<string> _builtin;
    private readonly HashSet<string> _builtinWithAliases;
    private readonly Dictionary<string, ModuleDep> _deps;

    private ModuleIndex(string modulesDir, bool isAvailable, ModprobeConfig config, AliasTable aliases,
        AliasTable builtinAliases, HashSet<string> builtin, Dictionary<string, ModuleDep> deps, Func<AliasTable> symbols)
    {
        _symbols = new Lazy<AliasTable>(symbols);
        ModulesDir = modulesDir;
        IsAvailable = isAvailable;
        _config = config;
        _configAliases = AliasTable.Build(config.Aliases);
        _aliases = aliases;
        _builtinAliases = builtinAliases;
        _builtin = builtin;
        _builtinWithAliases = [.. builtin, .. builtinAliases.Entries.Select(e => e.Module)];
        _deps = deps;
    }

    /// <summary>No modules at all: every lookup finds nothing.</summary>
    public static readonly ModuleIndex Empty =
        new("", false, ModprobeConfig.Empty, AliasTable.Empty, AliasTable.Empty, [], [], () => AliasTable.Empty);

    public string ModulesDir { get; }

    /// <summary>Whether modules.alias or modules.dep was found: false means the directory holds no module index.</summary>
    public bool IsAvailable { get; }

    /// <summary>Problems in modprobe.d files (file:line: what), skipped lines.</summary>
    public IReadOnlyList<string> Warnings => _config.Warnings;

    /// <param name="modulesDir">e.g. "/lib/modules/6.1.0-56-amd64".</param>
    /// <param name="modprobeDirs">modprobe.d directories, most important first (default: kmod's).</param>
    public static ModuleIndex Load(IFileView files, string modulesDir, IReadOnlyList<string>? modprobeDirs = null)
    {
        modulesDir = modulesDir.TrimEnd('/');
        string? Read(string name) => files.Read(modulesDir + "/" + name);

        var aliasText = Read("modules.alias");
        var depText = Read("modules.dep");
        // Debian's depmod writes only modules.builtin.alias.bin; kmod builds it from modules.builtin.modinfo.
        var builtinAliases = Read("modules.builtin.alias") is { } builtinAliasText
            ? ModuleFiles.ParseAliases(builtinAliasText)
            : Read("modules.builtin.modinfo") is { } modinfo ? ModuleFiles.ParseBuiltinModinfo(modinfo) : [];
        var builtin = new HashSet<string>(ModuleFiles.ParseBuiltin(Read("modules.builtin") ?? ""), StringComparer.Ordinal);

        return new ModuleIndex(
            modulesDir,
            aliasText is not null || depText is not null,
            ModprobeConfig.Load(files, modprobeDirs ?? ModprobeConfig.DefaultDirectories, modulesDir + "/modules.softdep"),
            AliasTable.Build(aliasText is null ? [] : ModuleFiles.ParseAliases(aliasText)),
            AliasTable.Build(builtinAliases),
            builtin,
            depText is null ? [] : ModuleFiles.ParseDep(depText),
            () => AliasTable.Build(Read("modules.symbols") is { } symbols ? ModuleFiles.ParseAliases(symbols) : []));
    }

    /// <summary>
    /// The modules a modalias (or alias, module name or "symbol:NAME") resolves to, in kmod's lookup order
    /// (kmod_module_new_from_lookup): modprobe.d aliases, a module of that name, modules.symbols for "symbol:",
    /// modprobe.d install commands, modules.alias, built-in module names, built-in aliases. The first stage with any
    /// result wins; all its matches are returned, each once. Empty when nothing matches or the alias is malformed.
    /// </summary>
    public IReadOnlyList<string> Resolve(string modalias)
    {
        if (KmodText.NormaliseAlias(modalias) is not { } name) return [];
        if (_configAliases.Modules(name) is { Count: > 0 } configured) return configured;
        if (!name.Contains(':') && _deps.ContainsKey(name)) return [name];
        if (name.StartsWith("symbol:", StringComparison.Ordinal) && _symbols.Value.Modules(name) is { Count: > 0 } exporting) return exporting;
        if (_config.InstallCommands.Contains(name)) return [name];
        if (_aliases.Modules(name) is { Count: > 0 } aliased) return aliased;
        if (_builtin.Contains(name)) return [name];
        return _builtinAliases.Modules(name);
    }

    /// <summary>
    /// Modules with an override_only alias for the device ("vfio_" + modalias today, e.g. "vfio_pci:v..."), which
    /// normal lookups never find: most specific first (fewest wildcards, libvirt's rule), then in file order.
    /// Only aliases that literally start with the prefix count.
    /// </summary>
    public IReadOnlyList<string> ResolveOverrideOnly(string prefix, string modalias)
    {
        if (KmodText.NormaliseAlias(prefix + modalias) is not { } key) return [];
        return _aliases.Match(key).Concat(_builtinAliases.Match(key))
            .Where(e => e.Pattern.StartsWith(prefix, StringComparison.Ordinal))
            .OrderBy(e => e.Glob.WildcardCount)
            .Select(e => e.Module)
            .Distinct()
            .ToArray();
    }

    /// <summary>Whether the module is part of the kernel image (modules.builtin or a built-in alias names it).</summary>
    public bool IsBuiltin(string module) => _builtinWithAliases.Contains(ModuleName.Normalise(module));

    /// <summary>Whether a modprobe.d "blacklist" line names the module (hides its aliases from automatic loading).</summary>
    public bool IsBlacklisted(string module) => _config.Blacklist.Contains(ModuleName.Normalise(module));

    /// <summary>Whether the module can be loaded (modules.dep) or is built in.</summary>
    public bool Exists(string module) => _deps.ContainsKey(ModuleName.Normalise(module)) || IsBuiltin(module);

    /// <summary>Options from modprobe.d "options" lines, joined with spaces; null when there are none.</summary>
    public string? OptionsFor(string module) => _config.OptionsFor(module);

    public Softdep? SoftdepOf(string module) => _config.SoftdepOf(module);

    /// <summary>
    /// The module files to load, in order, for the module to work, exactly as modprobe orders them: the dependencies
    /// deepest first, each wrapped in its own softdeps; then the module's softdep "pre:" modules (with what they
    /// need), the module itself and its "post:" modules. Each file once; built-in modules are left out (nothing to
    /// load). Empty when the module is unknown.
    /// </summary>
    public IReadOnlyList<ModuleFile> LoadOrder(string module)
    {
        var modules = new List<string>();
        AddProbeList(ModuleName.Normalise(module), modules, new HashSet<string>(StringComparer.Ordinal));
        return modules.Distinct()
            .Where(m => !_builtin.Contains(m) && _deps.ContainsKey(m))
            .Select(m => new ModuleFile(m, _deps[m].RelativePath))
            .ToArray();
    }

    /// <summary>kmod's __kmod_module_get_probe_list(): the module's (transitive) dependencies, then the module.</summary>
    private void AddProbeList(string module, List<string> modules, HashSet<string> visited)
    {
        if (!visited.Add(module)) return;
        // modules.dep lists every dependency, the ones needed first last (kmod loads them right to left).
        if (_deps.TryGetValue(module, out var dep))
            foreach (var path in dep.DependencyPaths.Reverse())
                AddWithSoftdeps(KmodText.ModuleNameOfPath(path), modules, visited);
        AddWithSoftdeps(module, modules, visited);
    }

    /// <summary>kmod's __kmod_module_fill_softdep(): "pre:" modules with their probe lists, the module, "post:" modules.</summary>
    private void AddWithSoftdeps(string module, List<string> modules, HashSet<string> visited)
    {
        var softdep = _config.SoftdepOf(module);
        foreach (var pre in softdep?.Pre ?? [])
            foreach (var m in Resolve(pre)) AddProbeList(m, modules, visited);
        modules.Add(module);
        foreach (var post in softdep?.Post ?? [])
            foreach (var m in Resolve(post)) AddProbeList(m, modules, visited);
    }
}
