using System.Collections.Immutable;
using AcceptD.Core.Policy;
using AcceptD.Core.Tdisp;

namespace AcceptD.Core.Tests.Tdisp;

public sealed class TdispMachineTests
{
    private static readonly TdispEvidence Reference = new([new Digest("sha384", new string('a', 96))], new Digest("sha256", new string('b', 64)), null);
    private static readonly TdispGoal Goal = new("tsm1", Reference, "final_drv");
    private static readonly DeviceEvidence Evidence = new(3, ImmutableSortedDictionary<EvidenceType, ImmutableArray<byte>>.Empty);
    private static readonly TdispProgress Read = new(Evidence: Evidence);
    private static readonly TdispProgress Verified = Read with { Verdict = new(true, "ok", "sha384:x") };
    private static readonly TdispProgress Validated = Verified with { Validated = true };

    private static TdispObservation Seen(string? driver = null, string? lockedBy = null, bool accepted = false) => new(true, driver, lockedBy, accepted);

    public static TheoryData<string, TdispObservation, TdispProgress, TdispAction> Cases => new()
    {
        { "fresh device", Seen(), TdispProgress.Start, TdispAction.Lock },
        { "locked by us", Seen(lockedBy: "tsm1"), TdispProgress.Start, TdispAction.ReadEvidence },
        { "evidence read", Seen(lockedBy: "tsm1"), Read, TdispAction.Verify },
        { "verified", Seen(lockedBy: "tsm1"), Verified, TdispAction.Validate },
        { "validated", Seen(lockedBy: "tsm1"), Validated, TdispAction.Accept },
        { "accepted", Seen(lockedBy: "tsm1", accepted: true), Validated, TdispAction.BindFinal },
        { "bound", Seen("final_drv", "tsm1", true), Validated, TdispAction.Done },
        { "restart after accept", Seen(lockedBy: "tsm1", accepted: true), TdispProgress.Start, TdispAction.ReadEvidence },
        { "restart after bind", Seen("final_drv", "tsm1", true), TdispProgress.Start, TdispAction.ReadEvidence },
        { "bound, evidence rejected", Seen("final_drv", "tsm1", true), Read with { Verdict = EvidenceVerdict.Reject("no") }, TdispAction.Abort },
        { "rejected", Seen(lockedBy: "tsm1"), Read with { Verdict = EvidenceVerdict.Reject("no") }, TdispAction.Abort },
        { "locked by another TSM", Seen(lockedBy: "tsm0"), TdispProgress.Start, TdispAction.Abort },
        { "our lock reads back another TSM", Seen(lockedBy: "tsm0"), new(Locked: true), TdispAction.Abort },
        { "our lock reads back empty", Seen(), new(Locked: true), TdispAction.Abort },
        { "our lock reads back ours", Seen(lockedBy: "tsm1"), new(Locked: true), TdispAction.ReadEvidence },
        { "bound before accept", Seen("rogue", "tsm1"), Read, TdispAction.Abort },
        { "bound to final before accept", Seen("final_drv"), TdispProgress.Start, TdispAction.Abort },
        { "unlocked behind our back", Seen(), Read, TdispAction.Abort },
        { "gone", TdispObservation.Gone, Validated, TdispAction.Failed },
        { "lock refused, still unlocked", Seen(), new(Failure: new(TdispAction.Lock, 16, "")), TdispAction.Abort },
        { "lock refused, but ours now", Seen(lockedBy: "tsm1"), new(Failure: new(TdispAction.Lock, 16, "")), TdispAction.ReadEvidence },
        { "accept refused, accepted anyway", Seen(lockedBy: "tsm1", accepted: true), Validated with { Failure = new(TdispAction.Accept, 5, "") }, TdispAction.BindFinal },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decides_from_what_it_sees(string situation, TdispObservation seen, TdispProgress progress, TdispAction expected)
    {
        Assert.True(expected == TdispMachine.Decide(Goal, seen, progress).Action, situation);
    }

    [Fact]
    public void Under_a_topology_lock_verified_evidence_other_than_the_locked_digest_is_a_violation_in_either_phase()
    {
        var locked = Goal with { LockedEvidence = "sha384:x" };
        var other = Verified with { Verdict = new(true, "ok", "sha384:y") };

        Assert.Equal(TdispAction.Validate, TdispMachine.Decide(locked, Seen(lockedBy: "tsm1"), Verified).Action);
        var refused = TdispMachine.Decide(locked, Seen(lockedBy: "tsm1"), other);
        Assert.Equal(TdispAction.Violation, refused.Action);
        Assert.Equal("evidence sha384:y is not sha384:x, the evidence recorded when the topology was locked", refused.Reason);
        Assert.Equal(TdispAction.Violation, TdispMachine.Decide(locked, Seen(lockedBy: "tsm1", accepted: true), other).Action);
        Assert.Equal(TdispAction.Violation, TdispMachine.Decide(locked, Seen("final_drv", "tsm1", true), other).Action);
        Assert.Equal(TdispAction.Validate, TdispMachine.Decide(Goal, Seen(lockedBy: "tsm1"), other).Action); // no lock: the rule decides
    }

    [Fact]
    public void Prepare_driver_runs_once_before_the_lock_and_is_unbound_after_a_restart()
    {
        var goal = Goal with { PrepareDriver = "prep" };

        Assert.Equal(TdispAction.Prepare, TdispMachine.Decide(goal, Seen(), TdispProgress.Start).Action);
        Assert.Equal(TdispAction.Lock, TdispMachine.Decide(goal, Seen(), new(Prepared: true)).Action);
        Assert.Equal(TdispAction.UnbindPrepare, TdispMachine.Decide(goal, Seen("prep"), TdispProgress.Start).Action);
        Assert.Equal(TdispAction.Abort, TdispMachine.Decide(goal, Seen("prep", "tsm1"), TdispProgress.Start).Action);
    }

    [Fact]
    public void Refusal_reason_names_step_errno_and_meaning()
    {
        var step = TdispMachine.Decide(Goal, Seen(lockedBy: "tsm1"), Validated with { Failure = new(TdispAction.Accept, 22, "write failed") });

        Assert.Equal(new TdispStep(TdispAction.Abort, "accept refused: EINVAL (device not locked): write failed"), step);
    }

    [Fact]
    public void Done_names_the_verification()
    {
        var step = TdispMachine.Decide(Goal, Seen("final_drv", "tsm1", true), Validated);

        Assert.Equal("accepted via tsm1 and bound to final_drv; ok", step.Reason);
    }
}
