namespace AcceptD.Core.Tdisp;

/// <summary>
/// What the kernel shows of one TDISP device right now: whether it still exists, its bound driver (the driver link),
/// the TSM holding its lock (tsm/lock; null when unlocked) and whether it was accepted (tsm/accept reads 1).
/// </summary>
public sealed record TdispObservation(bool Present, string? Driver, string? LockedBy, bool Accepted)
{
    public static readonly TdispObservation Gone = new(false, null, null, false);
}
