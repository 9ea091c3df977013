using System.Collections.Immutable;

namespace AcceptD.Core.Tdisp;

/// <summary>
/// The measurement exchange as the TSM recorded it: optionally the VCA messages (when folded into the object, or the
/// VCA object put in front), optionally the GET_MEASUREMENTS request (0xE0) carrying the requester's nonce, then the
/// MEASUREMENTS response. <see cref="Signed"/> is everything before the response's signature: DSP0274 1.2's L1/L2
/// (VCA ‖ request ‖ response without its signature) when the VCA and the request are present.
/// </summary>
public sealed record SpdmTranscript(
    SpdmAlgorithms? Algorithms, bool SignatureRequested, ImmutableArray<byte>? RequestNonce, SpdmMeasurements Response, ImmutableArray<byte> Signed)
{
    public const byte GetMeasurementsCode = 0xE0;
    public const int NonceSize = 32;

    /// <summary>Never throws: null with a reason for anything that is not a well-formed exchange.</summary>
    public static SpdmTranscript? Parse(ReadOnlySpan<byte> blob, out string? error)
    {
        var at = 0;
        SpdmAlgorithms? algorithms = null;
        if (blob.Length >= 2 && blob[1] == 0x84 && (algorithms = SpdmAlgorithms.Parse(blob, out at, out error)) is null) return null;
        var (signatureRequested, nonce) = (false, (ImmutableArray<byte>?)null);
        if (blob.Length >= at + 4 && blob[at + 1] == GetMeasurementsCode)
        {
            // DSP0274 1.2: Param1 bit 0 asks for a signature; only then follow Nonce (32) and SlotIDParam (1).
            signatureRequested = (blob[at + 2] & 1) != 0;
            var size = signatureRequested ? 4 + NonceSize + 1 : 4;
            if (blob.Length < at + size) { error = "measurements: truncated GET_MEASUREMENTS request"; return null; }
            if (signatureRequested) nonce = [.. blob.Slice(at + 4, NonceSize)];
            at += size;
        }
        if (SpdmMeasurements.Parse(blob[at..], out error) is not { } response) return null;
        return new SpdmTranscript(algorithms, signatureRequested, nonce, response, [.. blob[..(at + response.SignatureOffset)]]);
    }
}
