using AcceptD.Core.Devices;
using AcceptD.Core.Drivers;
using AcceptD.Core.Planning;
using AcceptD.Core.State;
using AcceptD.Os.Modules;

namespace AcceptD.Os.Sysfs;

/// <summary>How carrying out a plan ended: the device's state, the driver it is bound to, and what went wrong.</summary>
public sealed record ExecutionResult(DeviceState State, string? Driver, string? Error, string? LearnedDriver = null, string? EvidenceDigest = null,
    string? TdispState = null);

/// <summary>
/// What the TDISP sequence gave: null error when accepted, the verified evidence's digest, and the accepted state in
/// words (how freshness was proven, or that only the TSM vouches for it).
/// </summary>
public readonly record struct TdispResult(string? Error, string? EvidenceDigest, string? TdispState = null);

/// <summary>
/// The only writer of device state: carries out a <see cref="BindPlan"/> step by step, re-reading sysfs to confirm,
/// and maps kernel errors to device states. It stops at the first failure; a failed allow leaves the device unbound.
/// </summary>
public sealed class PlanExecutor(IFileView files, ISysfsWriter writer, IModuleLoader loader, Func<AcceptTdisp, TdispResult> tdisp)
{
    private readonly AutoprobeGuard _guard = new(files, writer);

    public ExecutionResult Execute(BindPlan plan)
    {
        var device = plan.Facts.Device;
        string? learned = null, evidence = null, tdispState = null;
        foreach (var step in plan.Steps)
        {
            var error = step switch
            {
                LoadModule load => Load(load),
                ZeroAutoprobe => _guard.ZeroAll() is { Count: > 0 } stuck ? $"drivers_autoprobe stayed on for {string.Join(", ", stuck)}" : null,
                SetOverride set => Write(set.Device.SysPath + "/driver_override", OverrideValue(set, ref learned, out var e1) ?? "", e1),
                Unbind unbind => DoUnbind(unbind),
                Bind bind => DoBind(bind, ref learned),
                AcceptTdisp accept => Accept(accept, ref evidence, ref tdispState),
                _ => $"unknown plan step {step.GetType().Name}",
            };
            if (error is not null)
            {
                var pending = error.StartsWith(DeferredPrefix, StringComparison.Ordinal);
                return new ExecutionResult(pending ? DeviceState.Pending : DeviceState.Failed, CurrentDriver(device), error, learned, evidence, tdispState);
            }
        }
        return new ExecutionResult(plan.Outcome, CurrentDriver(device), null, learned, evidence, tdispState);
    }

    private string? Accept(AcceptTdisp step, ref string? evidence, ref string? tdispState)
    {
        var result = tdisp(step);
        evidence = result.EvidenceDigest;
        tdispState = result.TdispState;
        return result.Error;
    }

    private const string DeferredPrefix = "probe deferred";

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

    private string? OverrideValue(SetOverride set, ref string? learned, out string? error)
    {
        error = null;
        if (set.Candidate is null) return set.Value;
        var name = ResolveDriverName(set.Device.Bus, set.Candidate, out error);
        if (name is not null && !set.Candidate.DriverCertain) learned = name;
        return name;
    }

    private string? DoBind(Bind bind, ref string? learned)
    {
        var device = bind.Device;
        var driver = ResolveDriverName(device.Bus, bind.Candidate, out var error);
        if (driver is null) return error;
        if (!bind.Candidate.DriverCertain) learned = driver;
        var bindFile = $"/sys/bus/{device.Bus}/drivers/{driver}/bind";
        // Drivers with suppress_bind_attrs have no bind file; drivers_probe honours driver_override instead.
        var target = files.Exists(bindFile) ? bindFile : $"/sys/bus/{device.Bus}/drivers_probe";
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                writer.Write(target, device.Name);
                break;
            }
            catch (SysfsWriteException e) when (e.Errno == Errno.EAGAIN && attempt < 3)
            {
                Thread.Sleep(100 << attempt); // probe deferred: a supplier may still be coming
            }
            catch (SysfsWriteException e)
            {
                var now = CurrentDriver(device);
                if (e.Errno == Errno.EBUSY && now == driver) break;
                return e.Errno switch
                {
                    Errno.EBUSY => $"bind refused: {device.Name} is already bound to {now ?? "another driver"}",
                    Errno.ENODEV => $"bind refused: {device.Name} is gone or {driver} does not match it",
                    Errno.EAGAIN => $"{DeferredPrefix}: {driver} deferred its probe of {device.Name}",
                    _ => $"{driver} failed to probe {device.Name}: {e.Message}",
                };
            }
        }
        var bound = CurrentDriver(device);
        return bound == driver ? null : $"bind of {device.Name} to {driver} reported success, but the device is {(bound is null ? "unbound" : "bound to " + bound)}";
    }

    private string? DoUnbind(Unbind unbind)
    {
        var error = Write($"/sys/bus/{unbind.Device.Bus}/drivers/{unbind.Driver}/unbind", unbind.Device.Name, null);
        return CurrentDriver(unbind.Device) is { } still ? error ?? $"{unbind.Device.Name} is still bound to {still}" : null;
    }

    /// <summary>The registered driver name for a candidate: certain ones as they are; others read after loading.</summary>
    private string? ResolveDriverName(string bus, Candidate candidate, out string? error)
    {
        error = null;
        if (candidate.DriverCertain) return candidate.Driver;
        var prefix = bus + ":";
        var registered = files.List($"/sys/module/{ModuleName.Normalise(candidate.Module)}/drivers")
            .Where(e => e.StartsWith(prefix, StringComparison.Ordinal)).Select(e => e[prefix.Length..]).ToList();
        if (registered.Count == 1) return registered[0];
        if (candidate.Driver is { } named && (registered.Contains(named) || files.Exists($"/sys/bus/{bus}/drivers/{named}"))) return named;
        error = registered.Count == 0
            ? $"module {candidate.Module} registered no driver on bus {bus}"
            : $"module {candidate.Module} registered several drivers on bus {bus} ({string.Join(", ", registered)}); name one with driver= in the rule";
        return null;
    }

    private string? Write(string path, string value, string? pendingError)
    {
        if (pendingError is not null) return pendingError;
        try
        {
            writer.Write(path, value);
            return null;
        }
        catch (SysfsWriteException e)
        {
            return e.Message;
        }
    }

    private string? CurrentDriver(Device device)
    {
        var link = files.ReadLink(device.SysPath + "/driver");
        return link is null ? null : link[(link.LastIndexOf('/') + 1)..];
    }
}
