using System.Collections.Immutable;
using AcceptD.Core.Devices;
using AcceptD.Core.Drivers;
using AcceptD.Core.Policy;
using AcceptD.Core.State;
using AcceptD.Core.Tdisp;

namespace AcceptD.Core.Planning;

/// <summary>Turns a decision into the ordered kernel writes that carry it out. Pure: reads nothing, writes nothing.</summary>
public sealed class Planner(ModuleIndex modules, Inventory inventory, PlannerOptions options)
{
    public BindPlan Plan(DeviceFacts facts, Decision decision) => decision.Verdict switch
    {
        Verdict.Ignore => Done(facts, decision, DeviceState.Ignored, "left to the kernel"),
        Verdict.Deny => PlanDeny(facts, decision),
        _ => PlanAllow(facts, decision),
    };

    private BindPlan PlanDeny(DeviceFacts facts, Decision decision)
    {
        var device = facts.Device;
        if (options.Mode == EnforcementMode.Permissive)
            return Done(facts, decision, DeviceState.Reported, "permissive mode: denial reported, nothing changed");
        var steps = ImmutableArray.CreateBuilder<PlanStep>();
        if (device.Driver is { } driver)
        {
            if (facts.BoundBeforeStart && options.PreboundDenied == PreboundDenied.Report)
                return Done(facts, decision, DeviceState.Reported, $"bound to {driver} before AcceptD started; reported, left bound (prebound-denied = report)");
            steps.Add(new Unbind(device, driver));
        }
        if (device.HasDriverOverride && device.DriverOverride != SetOverride.NoDriver)
            steps.Add(new SetOverride(device, SetOverride.NoDriver, null));
        var state = device.Driver is not null && !facts.BoundBeforeStart ? DeviceState.Violation : DeviceState.Denied;
        return new BindPlan(facts, decision, steps.ToImmutable(), state, null);
    }

    private BindPlan PlanAllow(DeviceFacts facts, Decision decision)
    {
        var device = facts.Device;
        if (decision.Chosen is not { } chosen)
            return Done(facts, decision, DeviceState.Failed, "allowed, but no module in the index matches its modalias");
        var tdisp = decision.Verdict == Verdict.Tdisp;
        if (device.Driver is { } bound && bound == chosen.Driver && (!tdisp || AcceptedThisBoot(facts)))
            return Done(facts, decision, DeviceState.Bound, tdisp ? $"already bound to {bound}, its TDISP evidence verified this boot" : $"already bound to {bound}");
        if (tdisp) return PlanTdisp(facts, decision, chosen);
        return PlanBind(facts, decision, chosen, ImmutableArray.CreateBuilder<PlanStep>());
    }

    /// <summary>
    /// A device matching a tdisp rule enters the trust boundary only through this boot's verification: bound any
    /// other way (before start, by a hot-add, by root, while no daemon ran) it is unbound, pinned and taken through
    /// the whole sequence; in permissive mode such a binding is a violation, never "bound".
    /// </summary>
    private BindPlan PlanTdisp(DeviceFacts facts, Decision decision, Candidate chosen)
    {
        var device = facts.Device;
        var steps = ImmutableArray.CreateBuilder<PlanStep>();
        if (device.Driver is { } unverified)
        {
            if (options.Mode == EnforcementMode.Permissive)
                return Done(facts, decision, DeviceState.Violation, $"permissive mode: bound to {unverified} without this boot's TDISP verification; reported, left bound");
            steps.Add(new Unbind(device, unverified));
            if (device.HasDriverOverride) steps.Add(new SetOverride(device, SetOverride.NoDriver, null));
        }
        if (decision.Rule.Evidence is null || !device.TdispCapable)
            return new BindPlan(facts, decision, steps.ToImmutable(), DeviceState.Failed,
                "a tdisp rule matched, but the device has no guest TDISP interface (tsm/lock)");
        return PlanBind(facts, decision, chosen, steps);
    }

    /// <summary>
    /// Verified by this boot's AcceptD, and the kernel still shows it accepted and locked by the guest TSM, the one
    /// AcceptD's TSM session locks with: a lock held by another TSM (or a name the TSM session never wrote) is not one
    /// whose evidence AcceptD verified.
    /// </summary>
    private bool AcceptedThisBoot(DeviceFacts facts) =>
        facts.TdispVerified && inventory.GuestTsm is { } tsm && facts.Device.TsmLockedBy == tsm && facts.Device.TsmAccepted;

    private BindPlan PlanBind(DeviceFacts facts, Decision decision, Candidate chosen, ImmutableArray<PlanStep>.Builder steps)
    {
        var device = facts.Device;
        var tdisp = decision.Verdict == Verdict.Tdisp;
        if (!tdisp && device.Driver is { } other)
        {
            if (options.Mode == EnforcementMode.Permissive)
                return Done(facts, decision, DeviceState.Reported, $"permissive mode: bound to {other}, the policy chose {chosen.DriverOrModule}");
            steps.Add(new Unbind(device, other));
        }
        var hasBindFile = chosen.DriverCertain ? inventory.Drivers.Find(device.Bus, chosen.DriverOrModule)?.HasBindFile : null;
        AcceptTdisp Tdisp(TdispPhase phase) => new(device, decision.Rule.Evidence!, decision.Rule.Location.ToString(), chosen, hasBindFile, phase);
        var prepareModule = tdisp ? decision.Rule.Prepare : null;
        var refusal = Blacklisted(chosen.Module, chosen.Builtin, device.Bus) ?? (prepareModule is null ? null
            : !modules.Exists(prepareModule) ? $"prepare module {prepareModule} of {decision.Rule.Location} is not in the module index"
            : Blacklisted(prepareModule, modules.IsBuiltin(prepareModule), device.Bus));
        // A TDISP device still undoes a binding nobody verified (the steps so far); an allowed one is left as it is.
        if (refusal is not null) return new BindPlan(facts, decision, tdisp ? steps.ToImmutable() : [], DeviceState.Failed, refusal);
        if (prepareModule is not null) AddLoads(prepareModule, modules.IsBuiltin(prepareModule), device.Bus, DeviceTrust.Adversary, steps);
        if (tdisp)
            steps.Add(Tdisp(TdispPhase.Accept) with
            {
                Prepare = prepareModule is null ? null : new DriverResolver(modules, inventory.Drivers).Named(prepareModule, device.Bus),
            });
        AddLoads(chosen.Module, chosen.Builtin, device.Bus, tdisp ? DeviceTrust.Tcb : null, steps);
        if (tdisp) // the TDISP sequence binds the final driver itself, through the same bind path
            steps.Add(Tdisp(TdispPhase.Bind));
        else
        {
            if (device.HasDriverOverride) steps.Add(new SetOverride(device, chosen.DriverOrModule, chosen));
            steps.Add(new Bind(device, chosen, hasBindFile));
        }
        return new BindPlan(facts, decision, steps.ToImmutable(), DeviceState.Bound, null);
    }

    /// <summary>Why a module that would have to be loaded is not: blacklisted in modprobe.d.</summary>
    private string? Blacklisted(string module, bool builtin, string bus) =>
        !NeedsLoad(module, builtin, bus) || !modules.IsBlacklisted(module) ? null : $"module {module} is blacklisted in modprobe.d; not loaded";

    private bool NeedsLoad(string module, bool builtin, string bus) => !builtin && !inventory.Drivers.OfModule(module, bus).Any();

    /// <summary>
    /// Loads for a module whose driver is not on the bus yet: what it needs first (modprobe's order), each load followed
    /// by zeroing every bus. <paramref name="trust"/> goes to the module itself, not to what it needs.
    /// </summary>
    private void AddLoads(string module, bool builtin, string bus, string? trust, ImmutableArray<PlanStep>.Builder steps)
    {
        if (!NeedsLoad(module, builtin, bus)) return;
        var name = ModuleName.Normalise(module);
        foreach (var file in modules.LoadOrder(module).Where(f => !inventory.LoadedModules.Contains(f.Name)))
        {
            var options = modules.OptionsFor(file.Name);
            steps.Add(new LoadModule(file.Name, file.RelativePath, trust is not null && file.Name == name ? DeviceTrust.With(options, trust) : options));
            steps.Add(new ZeroAutoprobe());
        }
    }

    private static BindPlan Done(DeviceFacts facts, Decision decision, DeviceState state, string note) =>
        new(facts, decision, [], state, note);
}
