using AcceptD.Core.Devices;

namespace AcceptD.Core.Drivers;

/// <summary>
/// Turns a device into the drivers that could take it: the modules its modalias resolves to (as kmod would) and the
/// driver name each registers, as sure as AcceptD can be before loading (see DriverNameSource).
/// </summary>
/// <param name="learned">Module → driver names seen after earlier loads (e.g. kept in the state file).</param>
public sealed class DriverResolver(ModuleIndex index, DriverCatalog catalog, IReadOnlyDictionary<string, string>? learned = null)
{
    /// <summary>The bound driver first (if any), then each module from modules.alias, in kmod's order.</summary>
    public IReadOnlyList<Candidate> Candidates(Device device)
    {
        var candidates = new List<Candidate>();
        if (device.Driver is { } bound)
        {
            var module = catalog.Find(device.Bus, bound)?.Module;
            candidates.Add(new Candidate(ModuleName.Normalise(module ?? bound), bound, DriverNameSource.Bound,
                Builtin: module is null || index.IsBuiltin(module)));
        }
        if (device.Modalias is { } modalias)
            foreach (var module in index.Resolve(modalias))
                foreach (var candidate in CandidatesOf(module, device.Bus, overrideOnly: false))
                    if (!candidates.Any(c => c.Module == candidate.Module && c.Driver == candidate.Driver))
                        candidates.Add(candidate);
        return candidates;
    }

    /// <summary>Modules with an override_only alias for the device (prefix "vfio_" today), most specific first.</summary>
    public IReadOnlyList<Candidate> OverrideOnlyCandidates(Device device, string prefix) =>
        device.Modalias is { } modalias
            ? index.ResolveOverrideOnly(prefix, modalias).SelectMany(m => CandidatesOf(m, device.Bus, overrideOnly: true)).ToArray()
            : [];

    /// <summary>The override-only driver of a module the policy names (a prepare driver), as sure as a candidate's name.</summary>
    public Candidate Named(string module, string bus) => CandidatesOf(ModuleName.Normalise(module), bus, overrideOnly: true).First();

    private IEnumerable<Candidate> CandidatesOf(string module, string bus, bool overrideOnly)
    {
        var builtin = index.IsBuiltin(module);
        var loaded = catalog.OfModule(module, bus).ToArray();
        if (loaded.Length > 0)
            return loaded.Select(d => new Candidate(module, d.Name, DriverNameSource.Loaded, builtin, overrideOnly));
        var known = learned?.GetValueOrDefault(module) ?? KnownDriverNames.ByModule.GetValueOrDefault(module);
        return [known is null
            ? new Candidate(module, null, DriverNameSource.Guessed, builtin, overrideOnly)
            : new Candidate(module, known, DriverNameSource.Learned, builtin, overrideOnly)];
    }
}
