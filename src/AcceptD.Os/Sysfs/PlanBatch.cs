using AcceptD.Core.Drivers;
using AcceptD.Core.Planning;

namespace AcceptD.Os.Sysfs;

/// <summary>
/// Carries out the plans of one scan on a small bounded pool, as udevd's workers do, with the outcome of carrying them
/// out one after the other:
/// <list type="bullet">
/// <item>Every module the plans load is loaded first, each on a worker once what it needs (modules.dep, softdeps) is
/// in, and every bus is zeroed after each load before anything else waits on it. No bind runs during the loads, so
/// a bus a module created at autoprobe 1 is back at 0 before any device can appear on it or be bound.</item>
/// <item>Then each plan's own writes (unbind, driver_override, bind), in waves by depth in the device tree (a parent
/// is bound before its children); within a wave each driver's devices in tree order on one worker, drivers in
/// parallel, so the kernel numbers what the probes create as it would without AcceptD.</item>
/// </list>
/// Plans with a TDISP sequence never come here: a device that fails its verification must load nothing.
/// </summary>
public sealed class PlanBatch(PlanExecutor executor, ModuleIndex modules, int workers)
{
    /// <summary>Whether the plans can be carried out here: none runs a TDISP sequence.</summary>
    public static bool Accepts(IEnumerable<BindPlan> plans) => !plans.Any(p => p.Steps.Any(s => s is AcceptTdisp));

    /// <summary>Outcomes in the order of <paramref name="plans"/>.</summary>
    public IReadOnlyList<ExecutionResult> Execute(IReadOnlyList<BindPlan> plans)
    {
        var loads = LoadAll([.. plans.SelectMany(p => p.Steps.OfType<LoadModule>()).DistinctBy(l => l.Module)]);
        var results = new ExecutionResult[plans.Count];
        foreach (var wave in Enumerable.Range(0, plans.Count).GroupBy(i => Depth(plans[i])).OrderBy(g => g.Key))
        {
            // One driver's devices one after the other, in tree order, as driver_attach() would take them: the names
            // their probes hand out (virtioN, vda/vdb) stay the same from boot to boot; different drivers in parallel.
            var byDriver = wave.GroupBy(i => DriverOf(plans[i])).Select(g => g.ToArray()).ToArray();
            BoundedWorkers.Run(workers, byDriver.Length, n =>
            {
                foreach (var i in byDriver[n]) results[i] = executor.Execute(plans[i], loads);
            });
        }
        return results;
    }

    /// <summary>The driver the plan binds (its module), or the device itself for a plan that binds nothing.</summary>
    private static string DriverOf(BindPlan plan) =>
        plan.Steps.OfType<Bind>().Select(b => "driver " + b.Candidate.Module).FirstOrDefault() ?? "device " + plan.Facts.Device.Key;

    /// <summary>Each module once, after the modules it needs that are loaded in this batch too; module -> error (null: loaded).</summary>
    private Dictionary<string, string?> LoadAll(IReadOnlyList<LoadModule> loads)
    {
        var index = loads.Select((l, i) => (l.Module, i)).ToDictionary(x => x.Module, x => x.i, StringComparer.Ordinal);
        var done = loads.Select(_ => new ManualResetEventSlim()).ToArray();
        var errors = new string?[loads.Count];
        try
        {
            BoundedWorkers.Run(workers, loads.Count, n =>
            {
                // Workers take loads in order, so what this one waits for is earlier and already taken: no deadlock.
                foreach (var first in NeededFirst(loads[n].Module))
                    if (index.TryGetValue(first, out var i) && i < n) done[i].Wait();
                try { errors[n] = executor.LoadAndZero(loads[n]); }
                finally { done[n].Set(); }
            });
        }
        finally
        {
            foreach (var e in done) e.Dispose();
        }
        return index.ToDictionary(x => x.Key, x => errors[x.Value], StringComparer.Ordinal);
    }

    /// <summary>What kmod loads before the module: its dependencies and softdep "pre:" modules.</summary>
    private IEnumerable<string> NeededFirst(string module) =>
        modules.LoadOrder(module).Select(f => f.Name).TakeWhile(name => name != ModuleName.Normalise(module));

    private static int Depth(BindPlan plan) => plan.Facts.Device.Path.Count(c => c == '/');
}
