namespace AcceptD.Core.Tdisp;

/// <summary>
/// Decides the next TDISP step from what the kernel shows and what this run has done. Every step is derived from a fresh
/// observation, so each is idempotent across restarts: already locked by our TSM → read evidence; accepted → verify
/// again, then bind; bound to the final driver → verify, then done. A step the kernel refused is retried only when a
/// fresh observation says something else is needed; the same step refused twice in a row aborts with the errno.
/// </summary>
public static class TdispMachine
{
    public static TdispStep Decide(TdispGoal goal, TdispObservation seen, TdispProgress progress)
    {
        if (!seen.Present) return new(TdispAction.Failed, "device removed");
        var wanted = Wanted(goal, seen, progress);
        if (progress.Failure is { } failure && failure.Action == wanted.Action)
            return new(TdispAction.Abort, TdispErrors.Describe(failure));
        return wanted;
    }

    private static TdispStep Wanted(TdispGoal goal, TdispObservation seen, TdispProgress progress)
    {
        if (seen.Driver is { } driver)
        {
            if (driver == goal.FinalDriver && seen.Accepted && seen.LockedBy == goal.Tsm)
                return Evidence(goal, seen, progress) ?? new(TdispAction.Done,
                    $"accepted via {goal.Tsm} and bound to {driver}; {progress.Verdict!.Reason}");
            if (driver == goal.PrepareDriver && seen.LockedBy is null && !seen.Accepted)
                return new(TdispAction.UnbindPrepare, $"prepare driver {driver} still bound");
            return new(TdispAction.Abort, seen.Accepted
                ? $"driver {driver} bound, but {goal.FinalDriver} was planned"
                : $"driver {driver} bound before the device was accepted");
        }
        if (seen.LockedBy is null)
        {
            if (seen.Accepted) return new(TdispAction.Abort, "tsm/accept reads 1 on an unlocked device");
            if (progress.Evidence is not null) return new(TdispAction.Abort, "device unlocked behind our back after its evidence was read");
            if (progress.Locked) return new(TdispAction.Abort, $"tsm/lock reads empty after AcceptD wrote {goal.Tsm} to it");
            if (goal.PrepareDriver is { } prepare && !progress.Prepared)
                return new(TdispAction.Prepare, $"prepare with {prepare} before locking");
            return new(TdispAction.Lock, $"lock via {goal.Tsm}");
        }
        // The evidence read next is the one this lock collected only if the lock is the one AcceptD wrote.
        if (seen.LockedBy != goal.Tsm)
            return new(TdispAction.Abort, progress.Locked
                ? $"tsm/lock reads {seen.LockedBy} after AcceptD wrote {goal.Tsm} to it"
                : $"locked by {seen.LockedBy}, not by {goal.Tsm}");
        return Evidence(goal, seen, progress)
            ?? (!progress.Validated ? new(TdispAction.Validate, $"confirm generation {progress.Evidence!.Generation} is current")
            : !seen.Accepted ? new(TdispAction.Accept, "evidence verified")
            : new(TdispAction.BindFinal, $"bind {goal.FinalDriver}"));
    }

    /// <summary>The evidence step still missing in this run, or null when the evidence is read and verified.</summary>
    private static TdispStep? Evidence(TdispGoal goal, TdispObservation seen, TdispProgress progress) => progress switch
    {
        { Evidence: null } => new(TdispAction.ReadEvidence, seen.Accepted ? "re-read evidence of an accepted device" : "read evidence"),
        { Verdict: null } => new(TdispAction.Verify, $"check evidence against {goal.Reference.Describe()}"),
        { Verdict.Ok: false } => new(TdispAction.Abort, "evidence rejected: " + progress.Verdict.Reason),
        // The digest leaves out nonces and signatures (DeviceEvidence.Sha384): it differs only when what was measured differs.
        { Verdict.EvidenceDigest: var digest } when goal.LockedEvidence is { } locked && digest != locked =>
            new(TdispAction.Violation, $"evidence {digest} is not {locked}, the evidence recorded when the topology was locked"),
        _ => null,
    };
}
