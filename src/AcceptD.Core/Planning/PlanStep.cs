using AcceptD.Core.Devices;
using AcceptD.Core.Drivers;
using AcceptD.Core.Policy;

namespace AcceptD.Core.Planning;

/// <summary>
/// One kernel write the executor will make, in order. Describe() gives the exact write for dry-run output.
/// Steps that bind name the candidate: when its driver name is not certain before loading, the executor
/// confirms it from /sys/module/&lt;module&gt;/drivers after the load and says so.
/// </summary>
public abstract record PlanStep
{
    public abstract string Describe();
}

/// <summary>Load one module file (dependencies come as their own earlier steps).</summary>
public sealed record LoadModule(string Module, string RelativePath, string? Parameters) : PlanStep
{
    public override string Describe() =>
        $"load module {Module} ({RelativePath}{(string.IsNullOrEmpty(Parameters) ? "" : " " + Parameters)})";
}

/// <summary>
/// Write 0 to drivers_autoprobe: of every bus (Bus null: at start, and after a module load, which may have created a
/// bus that starts at 1), or of one bus whose "add" uevent arrived. Never faux: its devices are torn down unbound.
/// </summary>
public sealed record ZeroAutoprobe(string? Bus = null) : PlanStep
{
    public const string ExemptBus = "faux";

    public override string Describe() => Bus is null
        ? $"write 0 to {SysfsLayout.Autoprobe("*")} of every bus still at 1 (not {ExemptBus})"
        : $"write 0 to {SysfsLayout.Autoprobe(Bus)}";
}

/// <summary>Pin the device to one driver name (or to "none", which no driver has, to block all binding).</summary>
public sealed record SetOverride(Device Device, string Value, Candidate? Candidate) : PlanStep
{
    public const string NoDriver = "none";

    public override string Describe() =>
        $"write '{Value}' to {SysfsLayout.DriverOverride(Device)}{Certainty(Candidate)}";

    internal static string Certainty(Candidate? c) => c is null || c.DriverCertain ? "" : c.Source switch
    {
        DriverNameSource.Learned => $" (driver name known for {c.Module}; confirmed after loading)",
        DriverNameSource.Policy => $" (driver name from the rule; confirmed after loading {c.Module})",
        _ => $" (driver name guessed from {c.Module}; confirmed after loading)",
    };
}

/// <summary>
/// Bind through the driver's bind file, or through drivers_probe (which honours driver_override) when the driver has
/// none (suppress_bind_attrs). HasBindFile is null when the driver registers only after a planned module load.
/// </summary>
public sealed record Bind(Device Device, Candidate Candidate, bool? HasBindFile = true) : PlanStep
{
    public override string Describe() => HasBindFile switch
    {
        true => $"write '{Device.Name}' to {SysfsLayout.DriverBind(Device.Bus, Candidate.DriverOrModule)}",
        false => $"write '{Device.Name}' to {SysfsLayout.DriversProbe(Device.Bus)}",
        null => $"write '{Device.Name}' to {SysfsLayout.DriverBind(Device.Bus, Candidate.DriverOrModule)} (to {SysfsLayout.DriversProbe(Device.Bus)} if the driver has no bind file)",
    } + $", then confirm the driver link{SetOverride.Certainty(Candidate)}";
}

public sealed record Unbind(Device Device, string Driver) : PlanStep
{
    public override string Describe() => $"write '{Device.Name}' to {SysfsLayout.DriverUnbind(Device.Bus, Driver)}";
}

/// <summary>Accept: lock, verify, accept, before the final driver's module is loaded. Bind: verify fresh evidence again, then bind.</summary>
public enum TdispPhase { Accept, Bind }

/// <summary>
/// The TDISP sequence for the final driver against the rule's reference values, in two phases around the loading of
/// its module (so a device that fails loads nothing). Accept: lock, evidence with a fresh nonce, verify, accept.
/// Bind: evidence read and verified again, then the final driver bound through driver_override and the same bind path
/// as <see cref="Bind"/>. Any failure pins driver_override to "none", unbinds and unlocks.
/// </summary>
/// <param name="LockedEvidence">Under a topology lock, the evidence digest it recorded for the device: verified evidence
/// with another digest is a violation (refused, pinned, unlocked) however well it matches the rule.</param>
/// <param name="Prepare">Accept phase only: the override-only driver (the rule's prepare=) bound on the unlocked device
/// and unbound again before the lock, its module loaded at the constrained trust level before this step.</param>
public sealed record AcceptTdisp(Device Device, TdispEvidence Reference, string RuleLocation, Candidate Final, bool? HasBindFile, TdispPhase Phase,
    string? LockedEvidence = null, Candidate? Prepare = null) : PlanStep
{
    public override string Describe() => (Phase == TdispPhase.Accept
        ? (Prepare is { } prepare
              ? $"TDISP: write '{prepare.DriverOrModule}' to {SysfsLayout.DriverOverride(Device)} and " + new Bind(Device, prepare, null).Describe() +
                $" (the prepare driver), {new Unbind(Device, prepare.DriverOrModule).Describe()}, clear {SysfsLayout.DriverOverride(Device)}; then "
              : "TDISP: ") +
          $"write the guest TSM's name to {SysfsLayout.TsmLock(Device)}, read evidence with a fresh nonce, verify against " +
          $"the reference values of {RuleLocation}, write 1 to {SysfsLayout.TsmAccept(Device)}"
        : $"TDISP: read evidence again and verify it, then write '{Final.DriverOrModule}' to {SysfsLayout.DriverOverride(Device)} and " +
          new Bind(Device, Final, HasBindFile).Describe()) +
        (LockedEvidence is null ? "" : $"; the evidence must be {LockedEvidence}, as when the topology was locked") +
        $" (on failure: write '{SetOverride.NoDriver}' to {SysfsLayout.DriverOverride(Device)}, unbind, write the TSM's name to {SysfsLayout.TsmUnlock(Device)})";
}
