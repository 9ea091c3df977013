using AcceptD.Core.Policy;

namespace AcceptD.Core.Tdisp;

/// <summary>The result of checking evidence against a rule's reference values; Reason says exactly what failed.</summary>
public sealed record EvidenceVerdict(bool Ok, string Reason, string? EvidenceDigest = null)
{
    public static EvidenceVerdict Reject(string reason) => new(false, reason);
}

/// <summary>
/// Checks a device's evidence against <see cref="TdispEvidence"/>: the slot-0 chain holds (<see cref="CertChainCheck"/>);
/// the root's DER fingerprint equals certroot; the measurements are fresh — the GET_MEASUREMENTS request in the
/// transcript carries the nonce AcceptD sent and the leaf key signed the transcript (<see cref="SpdmSignature"/>),
/// unless the ABI exposes no such transcript, which the reason then says; the digest of the measurement record equals
/// one of the listed measurements; the interface report digest equals report when given.
/// </summary>
public static class EvidenceVerifier
{
    public const string VouchedForByTsm = "freshness vouched for by the TSM";

    public static EvidenceVerdict Verify(DeviceEvidence evidence, TdispEvidence reference)
    {
        if (SpdmCertChain.Parse(evidence.Get(EvidenceType.Cert0), out var chainError) is not { } chain)
            return EvidenceVerdict.Reject(chainError!);
        if (CertChainCheck.Leaf(chain, out var leafError) is not { } leaf)
            return EvidenceVerdict.Reject(leafError!);
        var root = chain.Certificates[0].AsSpan();
        if (!reference.CertRoot.Matches(root))
            return EvidenceVerdict.Reject($"cert root {DigestHashing.Of(reference.CertRoot.Algorithm, root)} is not the expected {reference.CertRoot}");

        // The VCA object goes in front: a kernel may also fold it into the measurements object itself [P].
        var exchange = (byte[])[.. evidence.Get(EvidenceType.Vca), .. evidence.Get(EvidenceType.Measurements)];
        if (SpdmTranscript.Parse(exchange, out var measurementError) is not { } transcript)
            return EvidenceVerdict.Reject(measurementError!);
        if (evidence.Freshness == FreshnessProof.SpdmSignature && Freshness(evidence, transcript, leaf) is { } stale)
            return EvidenceVerdict.Reject("measurements not fresh: " + stale);
        var measurements = transcript.Response;
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
        var freshness = evidence.Freshness == FreshnessProof.SpdmSignature ? "signed by the leaf key over our nonce" : VouchedForByTsm;
        return new EvidenceVerdict(true, $"evidence verified (generation {evidence.Generation}, {chain.Certificates.Length} certificates, " +
            $"{measurements.BlockCount} measurement blocks; {freshness})", digest);
    }

    /// <summary>Null when the transcript's request carries our nonce and the leaf key signed the transcript.</summary>
    private static string? Freshness(DeviceEvidence evidence, SpdmTranscript transcript, CertificateFields leaf)
    {
        if (evidence.Nonce.Length != SpdmTranscript.NonceSize)
            return $"the read sent a {evidence.Nonce.Length}-byte nonce, not a {SpdmTranscript.NonceSize}-byte SPDM nonce";
        if (transcript.RequestNonce is not { } nonce)
            return "no signed GET_MEASUREMENTS request in the transcript";
        if (!nonce.AsSpan().SequenceEqual(evidence.Nonce.AsSpan()))
            return $"the request's nonce {Convert.ToHexStringLower(nonce.AsSpan())[..16]}… is not the one AcceptD sent (replayed response)";
        return SpdmSignature.Check(transcript, leaf);
    }
}
