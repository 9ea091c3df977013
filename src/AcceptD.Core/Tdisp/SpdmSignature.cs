using System.Security.Cryptography;
using System.Text;

namespace AcceptD.Core.Tdisp;

/// <summary>
/// Checks the signature of an SPDM 1.2 MEASUREMENTS response with the leaf certificate's key (DSP0274 1.2 §15):
/// the responder signs M = combined_spdm_prefix ‖ Hash(L1/L2), where combined_spdm_prefix is "dmtf-spdm-v1.2.*" four
/// times, zero bytes, and the context "responder-measurements signing", 100 bytes in all. ECDSA signatures are r ‖ s
/// (fixed size), RSA ones PKCS#1 v1.5 or PSS as negotiated; the hash is the negotiated base hash.
/// </summary>
public static class SpdmSignature
{
    private const string Context = "responder-measurements signing";
    private const int CombinedPrefixSize = 100;

    /// <summary>Null when the transcript is signed by <paramref name="leaf"/>'s key, else the reason.</summary>
    public static string? Check(SpdmTranscript transcript, CertificateFields leaf)
    {
        if (transcript.Algorithms is not { } algorithms)
            return "no VCA (version, capabilities, algorithms) in the evidence: the negotiated algorithms are unknown";
        if (transcript.Response.Version != 0x12)
            return $"SPDM version {transcript.Response.Version >> 4}.{transcript.Response.Version & 0xf}: only 1.2 transcripts are verified";
        if (!transcript.SignatureRequested || transcript.Response.Signature.IsEmpty) return "the measurements are not signed";
        var signature = transcript.Response.Signature.AsSpan();
        if (signature.Length != algorithms.SignatureSize)
            return $"signature of {signature.Length} bytes, {algorithms.BaseAsym} signs {algorithms.SignatureSize}";
        var message = SigningInput(algorithms.BaseHash, transcript.Signed.AsSpan());
        var hash = new HashAlgorithmName(algorithms.BaseHash.ToUpperInvariant());
        try
        {
            var ok = algorithms.BaseAsym switch
            {
                SpdmAsym.RsaSsa or SpdmAsym.RsaPss => leaf.KeyAlgorithmOid == CertificateFields.RsaEncryption && VerifyRsa(leaf, message, signature, hash,
                    algorithms.BaseAsym == SpdmAsym.RsaSsa ? RSASignaturePadding.Pkcs1 : RSASignaturePadding.Pss),
                _ => leaf.KeyAlgorithmOid == CertificateFields.EcPublicKey && VerifyEcdsa(leaf, message, signature, hash),
            };
            return ok ? null : $"the {algorithms.BaseAsym} signature does not verify with the leaf certificate's key";
        }
        catch (CryptographicException e)
        {
            return $"the leaf certificate's key is unusable: {e.Message}";
        }
    }

    private static byte[] SigningInput(string hashAlgorithm, ReadOnlySpan<byte> l1l2)
    {
        var prefix = new byte[CombinedPrefixSize];
        for (var i = 0; i < 4; i++) Encoding.ASCII.GetBytes("dmtf-spdm-v1.2.*", prefix.AsSpan(16 * i));
        Encoding.ASCII.GetBytes(Context, prefix.AsSpan(CombinedPrefixSize - Context.Length));
        return [.. prefix, .. DigestHashing.Hash(hashAlgorithm, l1l2)];
    }

    private static bool VerifyEcdsa(CertificateFields leaf, byte[] message, ReadOnlySpan<byte> signature, HashAlgorithmName hash)
    {
        using var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(leaf.PublicKeyInfo, out _);
        return key.VerifyData(message, signature, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    private static bool VerifyRsa(CertificateFields leaf, byte[] message, ReadOnlySpan<byte> signature, HashAlgorithmName hash, RSASignaturePadding padding)
    {
        using var key = RSA.Create();
        key.ImportSubjectPublicKeyInfo(leaf.PublicKeyInfo, out _);
        return key.VerifyData(message, signature, hash, padding);
    }
}
