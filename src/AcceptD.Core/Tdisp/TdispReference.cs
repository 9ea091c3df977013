using System.Collections.Immutable;

namespace AcceptD.Core.Tdisp;

/// <summary>
/// What a tdisp policy rule expects of a device's evidence: the digest of its measurement record (any one of the list),
/// the fingerprint of the root certificate of its slot-0 chain, and optionally the digest of its interface report.
/// </summary>
public sealed record TdispReference(ImmutableArray<Digest> Measurements, Digest CertRoot, Digest? Report = null)
{
    public override string ToString() =>
        $"measurements={string.Join(',', Measurements)} certroot={CertRoot}" + (Report is null ? "" : $" report={Report}");
}
