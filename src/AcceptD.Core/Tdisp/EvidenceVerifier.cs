using AcceptD.Core.Policy;

namespace AcceptD.Core.Tdisp;

/// <summary>The result of checking evidence against a rule's reference values; Reason says exactly what failed.</summary>
public sealed record EvidenceVerdict(bool Ok, string Reason, string? EvidenceDigest = null)
{
    public static EvidenceVerdict Reject(string reason) => new(false, reason);
}

/// <summary>
/// Checks a device's evidence against <see cref="TdispEvidence"/>: the slot-0 chain is well formed and every link is
/// signed by the one above it up to a self-signed root; the root's DER fingerprint equals certroot; the digest of the
/// measurement record equals one of the listed measurements; the interface report digest equals report when given.
/// </summary>
public static class EvidenceVerifier
{
    public static EvidenceVerdict Verify(DeviceEvidence evidence, TdispEvidence reference)
    {
        if (SpdmCertChain.Parse(evidence.Get(EvidenceType.Cert0), out var chainError) is not { } chain)
            return EvidenceVerdict.Reject(chainError!);
        var certs = chain.Certificates;
        if (CertificateSignature.Check(certs[0].AsSpan(), certs[0].AsSpan()) is { } rootError)
            return EvidenceVerdict.Reject($"cert chain: root is not self-signed: {rootError}");
        for (var i = 1; i < certs.Length; i++)
            if (CertificateSignature.Check(certs[i].AsSpan(), certs[i - 1].AsSpan()) is { } linkError)
                return EvidenceVerdict.Reject($"cert chain: certificate {i}: {linkError}");
        if (!reference.CertRoot.Matches(certs[0].AsSpan()))
            return EvidenceVerdict.Reject(
                $"cert root {DigestHashing.Of(reference.CertRoot.Algorithm, certs[0].AsSpan())} is not the expected {reference.CertRoot}");

        if (SpdmMeasurements.Parse(evidence.Get(EvidenceType.Measurements), out var measurementError) is not { } measurements)
            return EvidenceVerdict.Reject(measurementError!);
        if (!reference.Measurements.Any(d => d.Matches(measurements.Record.AsSpan())))
        {
            var seen = string.Join(", ", reference.Measurements.Select(d => d.Algorithm).Distinct()
                .Select(alg => DigestHashing.Of(alg, measurements.Record.AsSpan())));
            return EvidenceVerdict.Reject(
                $"measurements {seen} match none of the {reference.Measurements.Length} reference value(s)");
        }

        if (reference.Report is { } report && !report.Matches(evidence.Get(EvidenceType.Report)))
            return EvidenceVerdict.Reject(
                $"interface report {DigestHashing.Of(report.Algorithm, evidence.Get(EvidenceType.Report))} is not the expected {report}");

        var digest = "sha384:" + Convert.ToHexStringLower(evidence.Sha384());
        return new EvidenceVerdict(true, $"evidence verified (generation {evidence.Generation}, {certs.Length} certificates, " +
            $"{measurements.BlockCount} measurement blocks)", digest);
    }
}
