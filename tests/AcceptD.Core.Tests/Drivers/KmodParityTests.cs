using AcceptD.Core.Drivers;
using AcceptD.Os.Sysfs;
using AcceptD.Testing;

namespace AcceptD.Core.Tests.Drivers;

/// <summary>
/// Resolve must agree with the real kmod ("modprobe --resolve-alias") on real Debian kernels' module trees (the
/// generic flavour, and the cloud flavour, which builds more in), with this machine's modprobe.d, for real
/// modaliases, thousands derived from the tree's own alias patterns, every built-in name and alias, and symbols:
/// answered from kmod's .bin indexes alone (the text indexes hidden), in kmod's order; and the text indexes must give
/// the same answers as the .bin ones.
/// </summary>
public class KmodParityTests
{
    private const int DerivedCount = 3000;
    private const int Seed = 20261123;
    private const string Separator = "<<acceptd-end>>";

    private const int LoadOrderCount = 400;

    [Theory]
    [InlineData(KernelTree.Generic)]
    [InlineData(KernelTree.Cloud)]
    public void Resolve_agrees_with_modprobe_resolve_alias(string flavour)
    {
        var (tree, index) = Load(flavour, binary: true);

        var aliases = Samples(tree);
        // In kmod's order; a module that several patterns name is printed once per pattern, Resolve gives it once.
        var kmod = RunModprobe(tree, "--resolve-alias", aliases).Select(lines => lines.Distinct().ToArray()).ToList();

        var mismatches = aliases.Zip(kmod)
            .Where(p => !p.Second.SequenceEqual(index.Resolve(p.First)))
            .Select(p => $"{p.First}: kmod [{string.Join(' ', p.Second)}] acceptd [{string.Join(' ', index.Resolve(p.First))}]")
            .ToArray();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"compared {aliases.Length} aliases with kmod on {tree.Version}: {aliases.Length - mismatches.Length} agree, " +
            $"{kmod.Count(s => s.Length > 0)} resolve to at least one module");
        Assert.True(mismatches.Length == 0, $"{mismatches.Length} of {aliases.Length} differ:\n" + string.Join('\n', mismatches.Take(30)));
        Assert.True(kmod.Count(s => s.Length > 0) > aliases.Length / 3, "too few aliases resolve: the samples are not meaningful");
        Assert.Empty(index.Warnings);
    }

    /// <summary>
    /// The text indexes and the .bin ones answer alike for a modalias made from every alias pattern of modules.alias,
    /// and for the samples. (Not for the patterns themselves taken as lookups: kmod's trie also walks a '[' or '*' of
    /// the text literally, so "usb:v0421p0492d0[5-9]*dc*..." finds usb_storage, where fnmatch finds nothing; the .bin
    /// answer is kmod's, as the test above checks.)
    /// </summary>
    [Theory]
    [InlineData(KernelTree.Generic)]
    [InlineData(KernelTree.Cloud)]
    public void Text_and_bin_indexes_agree_on_every_alias_of_modules_alias(string flavour)
    {
        var (tree, binary) = Load(flavour, binary: true);
        var (_, text) = Load(flavour, binary: false);
        var aliases = ModaliasSamples.FillEach(File.ReadAllText(tree.ModulesDir + "/modules.alias"), Seed)
            .Concat(Samples(tree)).Distinct().ToArray();

        // Sets: the text files carry no priorities (kmod's order), only their own line order.
        var mismatches = aliases.Where(a => !binary.Resolve(a).ToHashSet().SetEquals(text.Resolve(a)))
            .Select(a => $"{a}: bin [{string.Join(' ', binary.Resolve(a))}] text [{string.Join(' ', text.Resolve(a))}]")
            .ToArray();
        TestContext.Current.TestOutputHelper?.WriteLine($"compared {aliases.Length} lookups, text against bin, on {tree.Version}");
        Assert.True(mismatches.Length == 0, $"{mismatches.Length} of {aliases.Length} differ:\n" + string.Join('\n', mismatches.Take(30)));
        Assert.True(aliases.Count(a => text.Resolve(a).Count > 0) > aliases.Length / 2, "too few lookups resolve: the comparison is not meaningful");
        Assert.Empty(binary.Warnings);
    }

    /// <summary>Real modaliases, thousands derived from the tree's alias patterns, built-in names and aliases, symbols.</summary>
    private static string[] Samples(KernelTree tree) =>
        ModaliasSamples.RealLooking
            .Concat(ModaliasSamples.Derive(File.ReadAllText(tree.ModulesDir + "/modules.alias"), DerivedCount, Seed))
            .Concat(BuiltinNamesAndAliases(tree))
            .Concat(Symbols(tree))
            .Distinct()
            .ToArray();

    /// <summary>LoadOrder must list the files "modprobe --show-depends" would insert, in its order (each once).</summary>
    [Theory]
    [InlineData(KernelTree.Generic)]
    [InlineData(KernelTree.Cloud)]
    public void Load_order_agrees_with_modprobe_show_depends(string flavour)
    {
        var (tree, index) = Load(flavour, binary: true);
        var names = ModuleFiles.ParseDep(File.ReadAllText(tree.ModulesDir + "/modules.dep")).Keys.Order(StringComparer.Ordinal).ToArray();
        var rng = new Random(Seed);
        var modules = names.Where(m => index.SoftdepOf(m) is not null)
            .Concat(Enumerable.Range(0, LoadOrderCount).Select(_ => names[rng.Next(names.Length)]))
            .Distinct()
            .ToArray();
        var kmod = RunModprobe(tree, "--show-depends", modules);

        var prefix = "insmod " + tree.ModulesDir + "/";
        var mismatches = modules.Zip(kmod)
            .Select(p => (Module: p.First, Kmod: p.Second.Where(l => l.StartsWith(prefix, StringComparison.Ordinal))
                .Select(l => l[prefix.Length..].Split(' ')[0]).Distinct().ToArray() /* options after the path: OptionsFor's business */, Ours: index.LoadOrder(p.First).Select(f => f.RelativePath).ToArray()))
            .Where(r => !r.Kmod.SequenceEqual(r.Ours))
            .Select(r => $"{r.Module}: kmod [{string.Join(' ', r.Kmod)}] acceptd [{string.Join(' ', r.Ours)}]")
            .ToArray();
        TestContext.Current.TestOutputHelper?.WriteLine($"compared the load order of {modules.Length} modules with kmod on {tree.Version}");
        Assert.True(mismatches.Length == 0, $"{mismatches.Length} of {modules.Length} differ:\n" + string.Join('\n', mismatches.Take(20)));
        Assert.True(kmod.Count(lines => lines.Count > 1) > modules.Length / 4, "too few modules with dependencies: the sample is not meaningful");
    }

    /// <summary>Every built-in module's name, with '-' as users write it, and every built-in alias pattern's literal
    /// text (where names and aliases overlap, kmod's lookup order decides, e.g. crc64-rocksoft on the cloud kernel).</summary>
    private static IEnumerable<string> BuiltinNamesAndAliases(KernelTree tree)
    {
        var names = ModuleFiles.ParseBuiltin(File.ReadAllText(tree.ModulesDir + "/modules.builtin")).Select(n => n.Replace('_', '-'));
        var modinfo = tree.ModulesDir + "/modules.builtin.modinfo";
        var aliases = File.Exists(modinfo)
            ? ModuleFiles.ParseBuiltinModinfo(File.ReadAllText(modinfo)).Select(a => a.Pattern).Where(p => p.IndexOfAny(['*', '?', '[']) < 0)
            : [];
        return names.Concat(aliases);
    }

    /// <summary>A sample of "symbol:NAME" lookups from modules.symbols, plus one that exists nowhere.</summary>
    private static IEnumerable<string> Symbols(KernelTree tree) =>
        ModuleFiles.ParseAliases(File.ReadAllText(tree.ModulesDir + "/modules.symbols")).Select(a => a.Pattern)
            .Where((_, i) => i % 50 == 0).Append("symbol:acceptd_no_such_symbol");

    /// <summary>The tree's index from its .bin files only (binary), or from its text files only.</summary>
    private static (KernelTree Tree, ModuleIndex Index) Load(string flavour, bool binary)
    {
        var (tree, error) = KernelTree.Locate(flavour);
        if (tree is null)
        {
            if (KernelTree.Required) Assert.Fail($"kernel tree needed for the kmod parity test (CI=true): {error}");
            Assert.Skip($"no kernel tree: {error}");
        }
        var index = ModuleIndex.Load(new IndexFormatView(new DirectoryFileView("/"), binary), tree.ModulesDir);
        Assert.True(index.IsAvailable, $"no module index in {tree.ModulesDir}");
        return (tree, index);
    }

    /// <summary>Runs "modprobe MODE -- ARG" once per argument in two shell loops in parallel; the output lines per argument.</summary>
    private static List<List<string>> RunModprobe(KernelTree tree, string mode, string[] args)
    {
        const string loop = "while IFS= read -r a; do modprobe -d \"$1\" -S \"$2\" \"$3\" -- \"$a\" 2>/dev/null; echo '" + Separator + "'; done < \"$4\"";
        var half = (args.Length + 1) / 2;
        var parts = new[] { args[..half], args[half..] }.AsParallel().AsOrdered().WithDegreeOfParallelism(2).Select(part =>
        {
            var input = Path.GetTempFileName();
            try
            {
                File.WriteAllLines(input, part);
                var (code, output, error) = KernelTree.Run("bash", ["-c", loop, "parity", tree.Root, tree.Version, mode, input]);
                Assert.True(code == 0, $"modprobe loop failed ({code}): {error}");
                return output.Split('\n').Aggregate(new List<List<string>> { new() }, (records, line) =>
                {
                    if (line == Separator) records.Add([]);
                    else if (line.Length > 0) records[^1].Add(line);
                    return records;
                })[..^1];
            }
            finally { File.Delete(input); }
        }).ToArray();
        var results = parts.SelectMany(p => p).ToList();
        Assert.Equal(args.Length, results.Count);
        return results;
    }
}
