using System.Collections.Immutable;

namespace AcceptD.Core.Tdisp;

/// <summary>
/// How TDISP acceptance of one device ended: accepted and bound, or failed closed with a precise reason.
/// EvidenceDigest ("sha384:…", see <see cref="DeviceEvidence.Sha384"/>) is set when evidence was verified; Trace lists
/// every step taken with its reason, for the log. Violation: it failed because the evidence is not what the topology
/// lock recorded.
/// </summary>
public sealed record TdispOutcome(bool Accepted, string Reason, string? EvidenceDigest, ImmutableArray<string> Trace, bool Violation = false);
