using AcceptD.Core.Devices;
using AcceptD.Core.Matching;

namespace AcceptD.Core.Drivers;

/// <summary>
/// The module index of one kernel (/lib/modules/VERSION) plus the modprobe.d configuration, answering the questions
/// kmod answers: which modules a modalias resolves to, what must be loaded first, whether a module is built in,
/// blacklisted or has options. Each depmod index is read on its first lookup, from kmod's .bin trie where there is a
/// usable one (a lookup walks only the nodes on its path: one modalias resolve reads modules.alias.bin and nothing
/// else), else from the text file (<see cref="IndexSource{T}"/>).
/// </summary>
public sealed class ModuleIndex
{
    private readonly ModprobeConfig _config;
    private readonly AliasTable _configAliases;
    private readonly ModulesDirectory _directory;
    private readonly IndexSource<IAliasIndex> _aliases;
    private readonly IndexSource<IAliasIndex> _builtinAliases;
    private readonly IndexSource<IAliasIndex> _symbols;
    private readonly IndexSource<Func<string, bool>> _builtin;
    private readonly IndexSource<Func<string, ModuleDep?>> _deps;
    private readonly Lazy<HashSet<string>> _builtinAliasModules;

    private ModuleIndex(IFileView files, string modulesDir, bool isAvailable, ModprobeConfig config)
    {
        ModulesDir = modulesDir;
        IsAvailable = isAvailable;
        _config = config;
        _configAliases = AliasTable.Build(config.Aliases);
        var dir = _directory = new ModulesDirectory(files, modulesDir);
        _aliases = new(dir, "modules.alias.bin", b => new BinaryAliasIndex(b), () => Aliases(dir.Read("modules.alias")));
        // Debian's depmod writes only modules.builtin.alias.bin; kmod builds it from modules.builtin.modinfo.
        _builtinAliases = new(dir, "modules.builtin.alias.bin", b => new BinaryAliasIndex(b), () =>
            dir.Read("modules.builtin.alias") is { } text ? Aliases(text)
            : AliasTable.Build(dir.Read("modules.builtin.modinfo") is { } modinfo ? ModuleFiles.ParseBuiltinModinfo(modinfo) : []));
        _symbols = new(dir, "modules.symbols.bin", b => new BinaryAliasIndex(b), () => Aliases(dir.Read("modules.symbols")));
        _builtin = new(dir, "modules.builtin.bin", b => name => b.Search(name) is not null, () =>
            new HashSet<string>(ModuleFiles.ParseBuiltin(dir.Read("modules.builtin") ?? ""), StringComparer.Ordinal).Contains);
        _deps = new(dir, "modules.dep.bin", b => name => b.Search(name) is { } line ? ModuleFiles.ParseDepLine(line) : null, () =>
        {
            var deps = ModuleFiles.ParseDep(dir.Read("modules.dep") ?? "");
            return name => deps.GetValueOrDefault(name);
        });
        _builtinAliasModules = new(() => _builtinAliases.Query(a => a.AllModules().ToHashSet(StringComparer.Ordinal)));
    }

    private static AliasTable Aliases(string? text) => AliasTable.Build(text is null ? [] : ModuleFiles.ParseAliases(text));

    /// <summary>No modules at all: every lookup finds nothing.</summary>
    public static readonly ModuleIndex Empty = new(new NoFiles(), "", false, ModprobeConfig.Empty);

    public string ModulesDir { get; }

    /// <summary>Whether modules.alias or modules.dep (text or .bin) was found: false means the directory holds no module index.</summary>
    public bool IsAvailable { get; }

    /// <summary>
    /// Problems in modprobe.d files (file:line: what), skipped lines, and unusable .bin indexes (the text file is used
    /// instead). An index is opened on its first lookup, so this can grow after lookups.
    /// </summary>
    public IReadOnlyList<string> Warnings => [.. _config.Warnings, .. _directory.Warnings];

    /// <param name="modulesDir">e.g. "/lib/modules/6.1.0-56-amd64".</param>
    /// <param name="modprobeDirs">modprobe.d directories, most important first (default: kmod's).</param>
    public static ModuleIndex Load(IFileView files, string modulesDir, IReadOnlyList<string>? modprobeDirs = null)
    {
        modulesDir = modulesDir.TrimEnd('/');
        var available = new[] { "modules.alias.bin", "modules.alias", "modules.dep.bin", "modules.dep" }.Any(f => files.Exists(modulesDir + "/" + f));
        return new ModuleIndex(files, modulesDir, available,
            ModprobeConfig.Load(files, modprobeDirs ?? ModprobeConfig.DefaultDirectories, modulesDir + "/modules.softdep"));
    }

    /// <summary>
    /// Reads every index now and checks each .bin whole, and reads the text files too: for a snapshot, taken through a
    /// recording view, to hold all that any later lookup (of this build or of one that reads only text) needs.
    /// </summary>
    public void Preload()
    {
        foreach (var source in new[] { _aliases, _builtinAliases, _symbols }) source.Preload();
        _builtin.Preload();
        _deps.Preload();
    }

    /// <summary>
    /// The modules a modalias (or alias, module name or "symbol:NAME") resolves to, in kmod's lookup order
    /// (kmod_module_new_from_lookup): modprobe.d aliases, a module of that name, modules.symbols for "symbol:",
    /// modprobe.d install commands, modules.alias, built-in module names, built-in aliases. The first stage with any
    /// result wins; all its matches are returned, each once, in kmod's order. Empty when nothing matches or the alias
    /// is malformed.
    /// </summary>
    public IReadOnlyList<string> Resolve(string modalias)
    {
        if (KmodText.NormaliseAlias(modalias) is not { } name) return [];
        if (_configAliases.Modules(name) is { Count: > 0 } configured) return configured;
        if (!name.Contains(':') && HasDep(name)) return [name];
        if (name.StartsWith("symbol:", StringComparison.Ordinal) && ModulesOf(_symbols, name) is { Count: > 0 } exporting) return exporting;
        if (_config.InstallCommands.Contains(name)) return [name];
        if (ModulesOf(_aliases, name) is { Count: > 0 } aliased) return aliased;
        if (_builtin.Query(f => f(name))) return [name];
        return ModulesOf(_builtinAliases, name);
    }

    private static List<string> ModulesOf(IndexSource<IAliasIndex> source, string name) =>
        source.Query(index => index.Match(name).Select(m => m.Module).Distinct().ToList());

    private bool HasDep(string module) => Dep(module) is not null;

    private ModuleDep? Dep(string module) => _deps.Query(f => f(module));

    /// <summary>
    /// Modules with an override_only alias for the device ("vfio_" + modalias today, e.g. "vfio_pci:v..."), which
    /// normal lookups never find: most specific first (fewest wildcards, libvirt's rule), then in file order.
    /// Only aliases that literally start with the prefix count.
    /// </summary>
    public IReadOnlyList<string> ResolveOverrideOnly(string prefix, string modalias)
    {
        if (KmodText.NormaliseAlias(prefix + modalias) is not { } key) return [];
        return _aliases.Query(a => a.Match(key)).Concat(_builtinAliases.Query(a => a.Match(key)))
            .Where(e => e.Pattern.StartsWith(prefix, StringComparison.Ordinal))
            .OrderBy(e => Glob.Compile(e.Pattern).WildcardCount)
            .Select(e => e.Module)
            .Distinct()
            .ToArray();
    }

    /// <summary>Whether the module is part of the kernel image (modules.builtin or a built-in alias names it).</summary>
    public bool IsBuiltin(string module)
    {
        var name = ModuleName.Normalise(module);
        return _builtin.Query(f => f(name)) || _builtinAliasModules.Value.Contains(name);
    }

    /// <summary>Whether a modprobe.d "blacklist" line names the module (hides its aliases from automatic loading).</summary>
    public bool IsBlacklisted(string module) => _config.Blacklist.Contains(ModuleName.Normalise(module));

    /// <summary>Whether the module can be loaded (modules.dep) or is built in.</summary>
    public bool Exists(string module) => HasDep(ModuleName.Normalise(module)) || IsBuiltin(module);

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
            .Where(m => !_builtin.Query(f => f(m)))
            .Select(m => Dep(m) is { } dep ? new ModuleFile(m, dep.RelativePath) : null)
            .OfType<ModuleFile>()
            .ToArray();
    }

    /// <summary>kmod's __kmod_module_get_probe_list(): the module's (transitive) dependencies, then the module.</summary>
    private void AddProbeList(string module, List<string> modules, HashSet<string> visited)
    {
        if (!visited.Add(module)) return;
        // modules.dep lists every dependency, the ones needed first last (kmod loads them right to left).
        if (Dep(module) is { } dep)
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

    /// <summary>The view of <see cref="Empty"/>: no files at all.</summary>
    private sealed class NoFiles : IFileView
    {
        public IReadOnlyList<string> List(string path) => [];

        public string? Read(string path) => null;

        public string? ReadLink(string path) => null;

        public bool Exists(string path) => false;
    }
}
