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

    [Fact]
    public void Resolve_agrees_with_modprobe_resolve_alias()
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

        var aliases = ModaliasSamples.RealLooking
            .Concat(ModaliasSamples.Derive(files.Read(tree.ModulesDir + "/modules.alias")!, DerivedCount, Seed))
            .Distinct()
            .ToArray();
        var kmod = ResolveWithModprobe(tree, aliases);

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

    /// <summary>Runs modprobe once per alias in two shell loops in parallel; one set of module names per alias.</summary>
    private static List<HashSet<string>> ResolveWithModprobe(KernelTree tree, string[] aliases)
    {
        const string loop = "while IFS= read -r a; do modprobe -d \"$1\" -S \"$2\" --resolve-alias -- \"$a\" 2>/dev/null; echo '" + Separator + "'; done < \"$3\"";
        var half = (aliases.Length + 1) / 2;
        var parts = new[] { aliases[..half], aliases[half..] }.AsParallel().AsOrdered().WithDegreeOfParallelism(2).Select(part =>
        {
            var input = Path.GetTempFileName();
            try
            {
                File.WriteAllLines(input, part);
                var (code, output, error) = KernelTree.Run("bash", ["-c", loop, "parity", tree.Root, tree.Version, input]);
                Assert.True(code == 0, $"modprobe loop failed ({code}): {error}");
                return output.Split('\n').Aggregate(new List<HashSet<string>> { new() }, (records, line) =>
                {
                    if (line == Separator) records.Add([]);
                    else if (line.Length > 0) records[^1].Add(line);
                    return records;
                })[..^1];
            }
            finally { File.Delete(input); }
        }).ToArray();
        var results = parts.SelectMany(p => p).ToList();
        Assert.Equal(aliases.Length, results.Count);
        return results;
    }
}
