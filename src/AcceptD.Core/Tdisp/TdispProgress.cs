namespace AcceptD.Core.Tdisp;

/// <summary>
/// What this run has done so far. Deliberately lost on restart: a new run re-reads evidence and verifies it again,
/// so a bind never follows an accept that this process did not verify itself.
/// </summary>
/// <param name="Locked">This run's lock write succeeded: from then on tsm/lock must read back the TSM it wrote.</param>
public sealed record TdispProgress(
    bool Prepared = false,
    DeviceEvidence? Evidence = null,
    EvidenceVerdict? Verdict = null,
    bool Validated = false,
    TdispStepFailure? Failure = null,
    bool Locked = false)
{
    public static readonly TdispProgress Start = new();
}
