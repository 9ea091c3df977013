using AcceptD.Core.Policy;

namespace AcceptD.Core.Tdisp;

/// <summary>
/// What acceptance of one device should end in: locked by <paramref name="Tsm"/>, evidence matching
/// <paramref name="Reference"/>, bound to <paramref name="FinalDriver"/>; an optional override-only driver that prepares
/// the device (firmware, configuration) before the lock.
/// Under a topology lock, <paramref name="LockedEvidence"/> is the evidence digest it recorded: verified evidence
/// with another digest is a <see cref="TdispAction.Violation"/>.
/// </summary>
public sealed record TdispGoal(string Tsm, TdispEvidence Reference, string FinalDriver, string? PrepareDriver = null, string? LockedEvidence = null);
