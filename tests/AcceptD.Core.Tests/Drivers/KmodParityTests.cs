using AcceptD.Core.Drivers;
using AcceptD.Os.Sysfs;
using AcceptD.Testing;

namespace AcceptD.Core.Tests.Drivers;

/// <summary>
/// Resolve must agree with the real kmod ("modprobe --resolve-alias") on a real Debian kernel's module tree, with
/// this machine's modprobe.d, for real modaliases and thousands derived from the tree's own alias patterns.
/// </summary>
public class KmodParityTests
{
    private const int DerivedCount = 3000;
    private const int Seed = 20261123;
    private const string Separator = "<<acceptd-end>>";

    private const int LoadOrderCount = 400;

    [Fact]
    public void Resolve_agrees_with_modprobe_resolve_alias()
    {
        var (tree, files, index) = Load();

        var aliases = ModaliasSamples.RealLooking
            .Concat(ModaliasSamples.Derive(files.Read(tree.ModulesDir + "/modules.alias")!, DerivedCount, Seed))
            .Distinct()
            .ToArray();
        var kmod = RunModprobe(tree, "--resolve-alias", aliases).Select(lines => lines.ToHashSet()).ToList();

        var mismatches = aliases.Zip(kmod)
            .Where(p => !p.Second.SetEquals(index.Resolve(p.First)))
            .Select(p => $"{p.First}: kmod [{string.Join(' ', p.Second)}] acceptd [{string.Join(' ', index.Resolve(p.First))}]")
            .ToArray();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"compared {aliases.Length} aliases with kmod on {tree.Version}: {aliases.Length - mismatches.Length} agree, " +
            $"{kmod.Count(s => s.Count > 0)} resolve to at least one module");
        Assert.True(mismatches.Length == 0, $"{mismatches.Length} of {aliases.Length} differ:\n" + string.Join('\n', mismatches.Take(30)));
        Assert.True(kmod.Count(s => s.Count > 0) > aliases.Length / 3, "too few aliases resolve: the samples are not meaningful");
    }

    /// <summary>LoadOrder must list the files "modprobe --show-depends" would insert, in its order (each once).</summary>
    [Fact]
    public void Load_order_agrees_with_modprobe_show_depends()
    {
        var (tree, _, index) = Load();
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
                .Select(l => l[prefix.Length..].TrimEnd()).Distinct().ToArray(), Ours: index.LoadOrder(p.First).Select(f => f.RelativePath).ToArray()))
            .Where(r => !r.Kmod.SequenceEqual(r.Ours))
            .Select(r => $"{r.Module}: kmod [{string.Join(' ', r.Kmod)}] acceptd [{string.Join(' ', r.Ours)}]")
            .ToArray();
        TestContext.Current.TestOutputHelper?.WriteLine($"compared the load order of {modules.Length} modules with kmod on {tree.Version}");
        Assert.True(mismatches.Length == 0, $"{mismatches.Length} of {modules.Length} differ:\n" + string.Join('\n', mismatches.Take(20)));
        Assert.True(kmod.Count(lines => lines.Count > 1) > modules.Length / 4, "too few modules with dependencies: the sample is not meaningful");
    }

    private static (KernelTree Tree, DirectoryFileView Files, ModuleIndex Index) Load()
    {
        var (tree, error) = KernelTree.Locate();
        if (tree is null)
        {
            if (KernelTree.Required) Assert.Fail($"kernel tree needed for the kmod parity test (CI=true): {error}");
            Assert.Skip($"no kernel tree: {error}");
        }
        var files = new DirectoryFileView("/");
        var index = ModuleIndex.Load(files, tree.ModulesDir);
        Assert.True(index.IsAvailable, $"no module index in {tree.ModulesDir}");
        return (tree, files, index);
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
