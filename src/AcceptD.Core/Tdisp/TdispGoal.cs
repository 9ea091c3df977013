namespace AcceptD.Core.Tdisp;

/// <summary>
/// What acceptance of one device should end in: locked by <paramref name="Tsm"/>, evidence matching
/// <paramref name="Reference"/>, bound to <paramref name="FinalDriver"/>; an optional override-only driver that prepares
/// the device (firmware, configuration) before the lock.
/// </summary>
public sealed record TdispGoal(string Tsm, TdispReference Reference, string FinalDriver, string? PrepareDriver = null);
