using System.Collections.Immutable;

namespace AcceptD.Core.Policy;

/// <summary>
/// What a tdisp rule accepts as the device's evidence: any of the measurement digests (one per firmware version),
/// the fingerprint of the slot-0 root certificate, and optionally the digest of the TDISP interface report.
/// </summary>
public sealed record TdispEvidence(ImmutableArray<Digest> Measurements, Digest CertRoot, Digest? Report)
{
    public bool Equals(TdispEvidence? other) =>
        other is not null && Measurements.SequenceEqual(other.Measurements) && CertRoot == other.CertRoot && Report == other.Report;

    public override int GetHashCode() => HashCode.Combine(Measurements.Length, CertRoot, Report);
}
