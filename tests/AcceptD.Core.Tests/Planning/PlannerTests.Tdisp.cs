using AcceptD.Core.Devices;
using AcceptD.Core.Drivers;
using AcceptD.Core.Planning;
using AcceptD.Core.Policy;
using AcceptD.Core.State;

namespace AcceptD.Core.Tests.Planning;

/// <summary>
/// A device matching a tdisp rule: the sequence runs before any bind, and a bound one stays bound only when this boot's
/// AcceptD verified it and the kernel still shows it accepted and locked by the guest TSM.
/// </summary>
public sealed partial class PlannerTests
{
    [Fact]
    public void A_tdisp_device_runs_the_tdisp_sequence_before_any_bind()
    {
        var plan = PlanFor(Pci("0000:03:00.0", "15b3", "101e") with { TdispCapable = true });
        Assert.Equal(Verdict.Tdisp, plan.Decision.Verdict);
        Assert.Equal(TdispPhase.Accept, Assert.IsType<AcceptTdisp>(plan.Steps[0]).Phase); // nothing is loaded for a device not accepted
        Assert.Equal(["mlx5_core"], plan.Steps.OfType<LoadModule>().Select(l => l.Module));
        var bind = Assert.IsType<AcceptTdisp>(plan.Steps[^1]); // the TDISP sequence binds the policy's driver itself
        Assert.Equal((TdispPhase.Bind, "mlx5_core"), (bind.Phase, bind.Final.DriverOrModule));
        Assert.Empty(plan.Steps.OfType<Bind>());
        Assert.Equal(DeviceState.Bound, plan.Outcome);
    }

    [Fact]
    public void A_prepare_module_is_loaded_constrained_and_its_driver_runs_in_the_accept_phase_before_the_final_module_loads()
    {
        var plan = PlanFor(Pci("0000:03:00.0", "15b3", "1021") with { TdispCapable = true });
        Assert.Collection(plan.Steps,
            s => Assert.Equal(("mlx5_prep", "trust=adversary"), (Assert.IsType<LoadModule>(s).Module, ((LoadModule)s).Parameters)),
            s => Assert.IsType<ZeroAutoprobe>(s),
            s => Assert.Equal((TdispPhase.Accept, "mlx5_prep"), (Assert.IsType<AcceptTdisp>(s).Phase, ((AcceptTdisp)s).Prepare?.Module)),
            s => Assert.Equal(("mlx5_core", "trust=tcb"), (Assert.IsType<LoadModule>(s).Module, ((LoadModule)s).Parameters)),
            s => Assert.IsType<ZeroAutoprobe>(s),
            s => Assert.Equal((TdispPhase.Bind, null), (Assert.IsType<AcceptTdisp>(s).Phase, ((AcceptTdisp)s).Prepare)));
        Assert.StartsWith("TDISP: write 'mlx5_prep' to /sys/devices/pci0000:00/0000:03:00.0/driver_override and write '0000:03:00.0' to " +
            "/sys/bus/pci/drivers/mlx5_prep/bind", Steps(plan)[2]);
        Assert.Contains("(the prepare driver), write '0000:03:00.0' to /sys/bus/pci/drivers/mlx5_prep/unbind, clear", Steps(plan)[2]);
    }

    [Fact]
    public void A_prepare_module_missing_from_the_index_fails_the_device_before_anything_is_loaded()
    {
        var plan = PlanFor(Pci("0000:03:00.0", "15b3", "1023") with { TdispCapable = true });
        Assert.Equal(DeviceState.Failed, plan.Outcome);
        Assert.Equal("prepare module no_such_prep of test.rules:6:1 is not in the module index", plan.Note);
        Assert.Empty(plan.Steps);
    }

    [Fact]
    public void A_tdisp_device_bound_unverified_is_still_unbound_and_pinned_when_its_module_is_blacklisted()
    {
        var plan = PlanFor(Pci("0000:05:00.0", "8086", "fffe", driver: "rogue") with { TdispCapable = true });
        Assert.Equal(DeviceState.Failed, plan.Outcome);
        Assert.Equal("module evil is blacklisted in modprobe.d; not loaded", plan.Note);
        Assert.Collection(plan.Steps,
            s => Assert.Equal("rogue", Assert.IsType<Unbind>(s).Driver),
            s => Assert.Equal(SetOverride.NoDriver, Assert.IsType<SetOverride>(s).Value));
    }

    /// <summary>The devsec TSM the inventory found: the one AcceptD's TSM session locks TDISP devices with.</summary>
    private const string GuestTsm = "tsm1";

    private static readonly Device BoundTdisp = Pci("0000:03:00.0", "15b3", "101e", driver: "mlx5_core") with
    {
        TdispCapable = true,
        TsmLockedBy = GuestTsm,
        TsmAccepted = true,
    };

    [Theory]
    [InlineData(true)]  // bound before AcceptD started
    [InlineData(false)] // bound by a hot-add or by root after coldplug
    public void A_tdisp_device_bound_without_this_boots_verification_is_unbound_pinned_and_verified(bool boundBeforeStart)
    {
        var plan = PlanForFacts(BoundTdisp, boundBeforeStart, tdispVerified: false);
        Assert.Collection(plan.Steps.Take(3),
            s => Assert.Equal("mlx5_core", Assert.IsType<Unbind>(s).Driver),
            s => Assert.Equal(SetOverride.NoDriver, Assert.IsType<SetOverride>(s).Value),
            s => Assert.Equal(TdispPhase.Accept, Assert.IsType<AcceptTdisp>(s).Phase));
        Assert.Equal(TdispPhase.Bind, Assert.IsType<AcceptTdisp>(plan.Steps[^1]).Phase);
    }

    [Fact]
    public void A_tdisp_device_stays_bound_only_when_verified_this_boot_and_still_locked_and_accepted()
    {
        var verified = PlanForFacts(BoundTdisp, false, tdispVerified: true);
        Assert.Equal(DeviceState.Bound, verified.Outcome);
        Assert.True(verified.IsEmpty);

        var unlocked = PlanForFacts(BoundTdisp with { TsmLockedBy = null }, false, tdispVerified: true);
        Assert.IsType<Unbind>(unlocked.Steps[0]);
        var notAccepted = PlanForFacts(BoundTdisp with { TsmAccepted = false }, false, tdispVerified: true);
        Assert.IsType<Unbind>(notAccepted.Steps[0]);
    }

    [Theory]
    [InlineData("tsm2")] // another devsec TSM
    [InlineData("tsm0")] // the host-side link TSM
    [InlineData("evil")] // a name no TSM has
    public void A_verified_tdisp_device_locked_by_another_tsm_is_unbound_pinned_and_verified_again(string lockedBy)
    {
        var plan = PlanForFacts(BoundTdisp with { TsmLockedBy = lockedBy }, false, tdispVerified: true);
        Assert.Collection(plan.Steps.Take(3),
            s => Assert.Equal("mlx5_core", Assert.IsType<Unbind>(s).Driver),
            s => Assert.Equal(SetOverride.NoDriver, Assert.IsType<SetOverride>(s).Value),
            s => Assert.Equal(TdispPhase.Accept, Assert.IsType<AcceptTdisp>(s).Phase));
    }

    [Fact]
    public void A_verified_tdisp_device_is_not_trusted_while_the_guest_shows_no_devsec_tsm()
    {
        var plan = PlanForFacts(BoundTdisp, false, tdispVerified: true, guestTsm: null);
        Assert.IsType<Unbind>(plan.Steps[0]);
    }

    [Fact]
    public void In_permissive_mode_an_unverified_bound_tdisp_device_is_a_violation_never_bound()
    {
        var plan = PlanForFacts(BoundTdisp, true, false, new PlannerOptions(EnforcementMode.Permissive));
        Assert.Equal(DeviceState.Violation, plan.Outcome);
        Assert.True(plan.IsEmpty);
        Assert.Contains("without this boot's TDISP verification", plan.Note);
    }

    [Fact]
    public void A_bound_device_matching_a_tdisp_rule_without_a_tdisp_interface_is_unbound_and_fails()
    {
        var plan = PlanForFacts(BoundTdisp with { TdispCapable = false, TsmLockedBy = null, TsmAccepted = false }, true, false);
        Assert.Equal(DeviceState.Failed, plan.Outcome);
        Assert.Equal(["mlx5_core"], plan.Steps.OfType<Unbind>().Select(u => u.Driver));
        Assert.Empty(plan.Steps.OfType<AcceptTdisp>());
    }

    private static BindPlan PlanForFacts(Device device, bool boundBeforeStart, bool tdispVerified, PlannerOptions? options = null,
        string? guestTsm = GuestTsm)
    {
        var inventory = new Inventory(new DeviceTree([device]), [], new DriverCatalog([new RegisteredDriver("pci", "mlx5_core", "mlx5_core", true)]),
            ["mlx5_core"], guestTsm);
        var policy = PolicyLoader.FromSources([("test.rules", Policy)]).Policy!;
        var judge = new DeviceJudge(new PolicyEvaluator(policy), new DriverResolver(Index, inventory.Drivers),
            new Planner(Index, inventory, options ?? new PlannerOptions()));
        return judge.Judge(judge.Facts(device, inventory.Tree, DeviceOrigin.Hotplug, boundBeforeStart, tdispVerified));
    }
}
