using AcceptD.Core.Planning;

namespace AcceptD.Os.Tsm;

/// <summary>
/// What the TDISP sequence gave: null error when accepted (and, in the bind phase, bound), the verified evidence's
/// digest, and the accepted state in words (how freshness was proven, or that only the TSM vouches for it).
/// </summary>
public readonly record struct TdispResult(string? Error, string? EvidenceDigest, string? TdispState = null);

/// <summary>Carries out an <see cref="AcceptTdisp"/> plan step against the guest TSM, binding <c>finalDriver</c> last.</summary>
public interface ITdispSession
{
    TdispResult Accept(AcceptTdisp step, string finalDriver);
}
