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

/// <summary>Write 0 to every bus's drivers_autoprobe except faux: a module may have created a bus that starts at 1.</summary>
public sealed record ZeroAutoprobe : PlanStep
{
    public override string Describe() => "write 0 to /sys/bus/*/drivers_autoprobe (buses the module may have created; not faux)";
}

/// <summary>Pin the device to one driver name (or to "none", which no driver has, to block all binding).</summary>
public sealed record SetOverride(Device Device, string Value, Candidate? Candidate) : PlanStep
{
    public const string NoDriver = "none";

    public override string Describe() =>
        $"write '{Value}' to {Device.SysPath}/driver_override{Certainty(Candidate)}";

    internal static string Certainty(Candidate? c) => c is null || c.DriverCertain ? "" : c.Source switch
    {
        DriverNameSource.Learned => $" (driver name known for {c.Module}; confirmed after loading)",
        DriverNameSource.Policy => $" (driver name from the rule; confirmed after loading {c.Module})",
        _ => $" (driver name guessed from {c.Module}; confirmed after loading)",
    };
}

public sealed record Bind(Device Device, Candidate Candidate) : PlanStep
{
    public override string Describe() =>
        $"write '{Device.Name}' to /sys/bus/{Device.Bus}/drivers/{Candidate.DriverOrModule}/bind, then confirm the driver link{SetOverride.Certainty(Candidate)}";
}

public sealed record Unbind(Device Device, string Driver) : PlanStep
{
    public override string Describe() => $"write '{Device.Name}' to /sys/bus/{Device.Bus}/drivers/{Driver}/unbind";
}

/// <summary>The TDISP sequence (lock → evidence → verify → accept) before the final bind, against the rule's reference values.</summary>
public sealed record AcceptTdisp(Device Device, TdispEvidence Reference, string RuleLocation) : PlanStep
{
    public override string Describe() =>
        $"TDISP: write the guest TSM's name to {Device.SysPath}/tsm/lock, read evidence with a fresh nonce, verify against the reference values of {RuleLocation}, write 1 to tsm/accept";
}
