using AcceptD.Core.Planning;

namespace AcceptD.Os.Tsm;

/// <summary>What the TDISP sequence gave: null error when accepted and bound, and the verified evidence's digest.</summary>
public readonly record struct TdispResult(string? Error, string? EvidenceDigest);

/// <summary>Carries out an <see cref="AcceptTdisp"/> plan step against the guest TSM, binding <c>finalDriver</c> last.</summary>
public interface ITdispSession
{
    TdispResult Accept(AcceptTdisp step, string finalDriver);
}
