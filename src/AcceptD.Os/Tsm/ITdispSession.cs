using AcceptD.Core.Devices;
using AcceptD.Core.Planning;

namespace AcceptD.Os.Tsm;

/// <summary>
/// What the TDISP sequence gave: null error when accepted (and, in the bind phase, bound), the verified evidence's
/// digest, and the accepted state in words (how freshness was proven, or that only the TSM vouches for it).
/// Violation: refused because the evidence is not what the topology lock recorded.
/// </summary>
public readonly record struct TdispResult(string? Error, string? EvidenceDigest, string? TdispState = null, bool Violation = false);

/// <summary>
/// Carries out an <see cref="AcceptTdisp"/> plan step against the guest TSM: <c>prepareDriver</c> (if any) first on the
/// unlocked device, <c>finalDriver</c> last.
/// </summary>
public interface ITdispSession
{
    TdispResult Accept(AcceptTdisp step, string finalDriver, string? prepareDriver);

    /// <summary>Takes back an accepted device whose plan failed later (module load, final bind): pin, unbind, unlock.
    /// Returns what could not be undone, or null.</summary>
    string? Release(Device device);
}
