using AcceptD.Core.Devices;
using AcceptD.Core.Drivers;
using AcceptD.Core.Planning;
using AcceptD.Core.State;
using AcceptD.Os.Modules;
using AcceptD.Os.Tsm;

namespace AcceptD.Os.Sysfs;

/// <summary>How carrying out a plan ended: the device's state, the driver it is bound to, and what went wrong.</summary>
public sealed record ExecutionResult(DeviceState State, string? Driver, string? Error, string? LearnedDriver = null, string? EvidenceDigest = null,
    string? TdispState = null);

/// <summary>
/// The only writer of device state: carries out plan steps in order, re-reading sysfs to confirm, and maps kernel
/// errors to device states. It stops at the first failure; a failed allow leaves the device unbound.
/// </summary>
public sealed class PlanExecutor(IFileView files, ISysfsWriter writer, IModuleLoader loader, ITdispSession tdisp)
{
    private const string DeferredPrefix = "probe deferred";
    private readonly AutoprobeGuard _guard = new(files, writer);
    private readonly DriverBinder _binder = new(files, writer);

    public ExecutionResult Execute(BindPlan plan) => Execute(plan, new Run());

    /// <summary>
    /// A plan whose module loads a <see cref="PlanBatch"/> has made, each followed by zeroing every bus: their
    /// outcomes (module -> error) stand in for its load steps and the zeroing after them.
    /// </summary>
    public ExecutionResult Execute(BindPlan plan, IReadOnlyDictionary<string, string?> loads) => Execute(plan, new Run { Loads = loads });

    /// <summary>One module load and the zeroing of every bus that must follow it (the load may have created a bus at 1).</summary>
    public string? LoadAndZero(LoadModule load) => Load(load) ?? Execute(new ZeroAutoprobe());

    private ExecutionResult Execute(BindPlan plan, Run run)
    {
        var device = plan.Facts.Device;
        foreach (var step in plan.Steps)
        {
            if (Do(step, run) is not { } error) continue;
            if (run.Evidence is not null) // accepted, then the plan failed (a failed TDISP bind phase has cleaned up and cleared it)
                error += tdisp.Release(device) is { } left ? "; " + left : "; TDISP accept taken back (pinned, unlocked)";
            var pending = error.StartsWith(DeferredPrefix, StringComparison.Ordinal);
            var state = run.Violation ? DeviceState.Violation : pending ? DeviceState.Pending : DeviceState.Failed;
            return new ExecutionResult(state, _binder.CurrentDriver(device), error, run.Learned, run.Evidence, run.TdispState);
        }
        return new ExecutionResult(plan.Outcome, _binder.CurrentDriver(device), null, run.Learned, run.Evidence, run.TdispState);
    }

    /// <summary>Carries out a step that belongs to no device (autoprobe at start or for a new bus); returns the error.</summary>
    public string? Execute(PlanStep step) => Do(step, new Run());

    /// <summary>
    /// What a plan's steps learned on the way: a driver name confirmed after loading, the evidence digest and TDISP
    /// state, and whether the TDISP sequence found the device other than the topology lock recorded it.
    /// </summary>
    private sealed class Run
    {
        public string? Learned;
        public string? Evidence;
        public string? TdispState;
        public IReadOnlyDictionary<string, string?>? Loads;
        public bool Violation;
    }

    private string? Do(PlanStep step, Run run) => step switch
    {
        LoadModule load when run.Loads?.ContainsKey(load.Module) == true => run.Loads[load.Module],
        LoadModule load => Load(load),
        ZeroAutoprobe { Bus: null } when run.Loads is not null => null,
        ZeroAutoprobe { Bus: { } bus } => _guard.ZeroAnnounced(bus) ? null : $"{SysfsLayout.Autoprobe(bus)} stayed on",
        ZeroAutoprobe => _guard.ZeroAll() is { Count: > 0 } stuck ? $"drivers_autoprobe stayed on for {string.Join(", ", stuck)}" : null,
        SetOverride set => Override(set, run),
        Unbind unbind => DoUnbind(unbind),
        Bind bind => DoBind(bind.Device, bind.Candidate, bind.HasBindFile, run),
        AcceptTdisp accept => Accept(accept, run),
        _ => $"unknown plan step {step.GetType().Name}",
    };

    private string? Accept(AcceptTdisp step, Run run)
    {
        // Before its module is loaded the final driver's name may still be a guess; the accept phase does not bind it.
        string? error = null;
        var driver = step.Phase == TdispPhase.Accept ? step.Final.DriverOrModule : ResolveDriverName(step.Device.Bus, step.Final, out error);
        if (driver is null) return error;
        if (step.Phase == TdispPhase.Bind && !step.Final.DriverCertain) run.Learned = driver;
        // The prepare driver's module was loaded by the steps before: its registered name is confirmed like a final driver's.
        string? prepare = null;
        if (step.Prepare is { } candidate && (prepare = ResolveDriverName(step.Device.Bus, candidate, out error)) is null) return error;
        var result = tdisp.Accept(step, driver, prepare);
        run.Evidence = result.EvidenceDigest;
        run.TdispState = result.TdispState;
        run.Violation = result.Violation;
        return result.Error;
    }

    private string? Load(LoadModule load)
    {
        try
        {
            loader.Load(load.Module, load.RelativePath, load.Parameters);
            return null;
        }
        catch (ModuleLoadException e)
        {
            return e.Message;
        }
    }

    private string? Override(SetOverride set, Run run)
    {
        var value = set.Value;
        if (set.Candidate is { } candidate)
        {
            value = ResolveDriverName(set.Device.Bus, candidate, out var error);
            if (value is null) return error;
            if (!candidate.DriverCertain) run.Learned = value;
        }
        return Write(() => _binder.Override(set.Device, value));
    }

    private string? DoBind(Device device, Candidate candidate, bool? hasBindFile, Run run)
    {
        var driver = ResolveDriverName(device.Bus, candidate, out var error);
        if (driver is null) return error;
        if (!candidate.DriverCertain) run.Learned = driver;
        try
        {
            _binder.Bind(device, driver, candidate.DriverCertain ? hasBindFile : null);
        }
        catch (SysfsWriteException e)
        {
            return e.Errno switch
            {
                // EBUSY is the driver core's answer for a device bound already, and also what a probe returns when it
                // finds its hardware busy: only the driver link tells the two apart.
                Errno.EBUSY => _binder.CurrentDriver(device) is { } holder
                    ? $"bind refused: {device.Name} is already bound to {holder}"
                    : $"{driver} failed to probe {device.Name}: the driver found it busy (EBUSY); no driver is bound",
                Errno.ENODEV => $"bind refused: {device.Name} is gone or {driver} does not match it",
                Errno.EAGAIN => $"{DeferredPrefix}: {driver} deferred its probe of {device.Name}",
                _ => $"{driver} failed to probe {device.Name}: {e.Message}",
            };
        }
        var bound = _binder.CurrentDriver(device);
        return bound == driver ? null : $"bind of {device.Name} to {driver} reported success, but the device is {(bound is null ? "unbound" : "bound to " + bound)}";
    }

    private string? DoUnbind(Unbind unbind)
    {
        var error = Write(() => _binder.Unbind(unbind.Device, unbind.Driver));
        return _binder.CurrentDriver(unbind.Device) is { } still ? error ?? $"{unbind.Device.Name} is still bound to {still}" : null;
    }

    /// <summary>The registered driver name for a candidate: certain ones as they are; others read after loading.</summary>
    private string? ResolveDriverName(string bus, Candidate candidate, out string? error)
    {
        error = null;
        if (candidate.DriverCertain) return candidate.Driver;
        var prefix = bus + ":";
        var registered = files.List(SysfsLayout.ModuleDrivers(ModuleName.Normalise(candidate.Module)))
            .Where(e => e.StartsWith(prefix, StringComparison.Ordinal)).Select(e => e[prefix.Length..]).ToList();
        if (registered.Count == 1) return registered[0];
        if (candidate.Driver is { } named && (registered.Contains(named) || files.Exists(SysfsLayout.Driver(bus, named)))) return named;
        error = registered.Count == 0
            ? $"module {candidate.Module} registered no driver on bus {bus}"
            : $"module {candidate.Module} registered several drivers on bus {bus} ({string.Join(", ", registered)}); name one with driver= in the rule";
        return null;
    }

    private static string? Write(Action write)
    {
        try
        {
            write();
            return null;
        }
        catch (SysfsWriteException e)
        {
            return e.Message;
        }
    }
}
