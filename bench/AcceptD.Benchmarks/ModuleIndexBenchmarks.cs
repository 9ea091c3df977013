using AcceptD.Core.Drivers;
using AcceptD.Os.Sysfs;
using AcceptD.Testing;
using BenchmarkDotNet.Attributes;

namespace AcceptD.Benchmarks;

/// <summary>
/// Issue targets: loading the Debian 6.1 module index ≤ 50 ms, ≥ 200,000 modalias lookups/s.
/// Uses the kernel tree from ACCEPTD_KERNEL_TREE or tests/vm/fetch-kernel.sh.
/// </summary>
[MemoryDiagnoser]
public class ModuleIndexBenchmarks
{
    private const int Lookups = 10_000;

    private readonly DirectoryFileView _files = new("/");
    private string _modulesDir = "";
    private ModuleIndex _index = ModuleIndex.Empty;
    private string[] _modaliases = [];

    [GlobalSetup]
    public void Setup()
    {
        var (tree, error) = KernelTree.Locate();
        if (tree is null) throw new InvalidOperationException($"no kernel tree: {error}");
        _modulesDir = tree.ModulesDir;
        _index = ModuleIndex.Load(_files, _modulesDir);
        // Real device modaliases plus texts derived from the tree's own patterns (about 90% of them resolve).
        var derived = ModaliasSamples.Derive(_files.Read(_modulesDir + "/modules.alias")!, Lookups, seed: 7);
        _modaliases = [.. ModaliasSamples.RealLooking, .. derived.Take(Lookups - ModaliasSamples.RealLooking.Count)];
    }

    [Benchmark(Description = "Load Debian module index + modprobe.d")]
    public ModuleIndex Load() => ModuleIndex.Load(_files, _modulesDir);

    [Benchmark(Description = "Resolve one modalias", OperationsPerInvoke = Lookups)]
    public int Resolve()
    {
        var found = 0;
        foreach (var modalias in _modaliases) found += _index.Resolve(modalias).Count;
        return found;
    }
}
