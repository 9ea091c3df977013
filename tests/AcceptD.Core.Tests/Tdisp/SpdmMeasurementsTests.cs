using AcceptD.Core.Tdisp;
using AcceptD.Testing.TsmSimulator;

namespace AcceptD.Core.Tests.Tdisp;

public sealed class SpdmMeasurementsTests
{
    private static readonly TestDeviceEvidence Evidence = TestDeviceEvidence.Create();
    private static readonly byte[] Nonce = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
    private const int RequestSize = 37; // GET_MEASUREMENTS 1.2 with a signature request: 4 + nonce 32 + slot 1

    private static byte[] Response() => Evidence.Responder.Exchange(Nonce, Evidence.MeasurementRecord.AsSpan())[RequestSize..];

    [Fact]
    public void Record_is_the_same_across_responses_with_different_nonces()
    {
        var a = SpdmMeasurements.Parse(Response(), out _)!;
        var b = SpdmMeasurements.Parse(Response(), out _)!;

        Assert.Equal(2, a.BlockCount);
        Assert.Equal(Evidence.MeasurementRecord, a.Record);
        Assert.Equal(a.Record, b.Record);
        Assert.Equal(96, a.Signature.Length);
        Assert.NotEqual(a.Signature, b.Signature);
    }

    [Theory]
    [InlineData(1, 0x61, "response code 0x61 is not MEASUREMENTS")]
    [InlineData(4, 3, "record holds 2 blocks, header says 3")]
    [InlineData(5, 0xff, "overruns the")]
    public void Rejects_inconsistent_responses(int offset, byte value, string message)
    {
        var blob = Response();
        blob[offset] = value;

        Assert.Null(SpdmMeasurements.Parse(blob, out var error));
        Assert.Contains(message, error);
    }

    [Fact]
    public void Rejects_a_truncated_response()
    {
        Assert.Null(SpdmMeasurements.Parse([0x12, 0x60, 0, 0], out var error));
        Assert.Contains("shorter than an SPDM header", error);
    }

    [Fact]
    public void TranscriptYieldsTheRequestNonceTheAlgorithmsAndTheSignedPart()
    {
        var exchange = Evidence.Responder.Exchange(Nonce, Evidence.MeasurementRecord.AsSpan());
        var transcript = SpdmTranscript.Parse([.. Evidence.Responder.Vca(), .. exchange], out var error)!;

        Assert.Null(error);
        Assert.Equal(new SpdmAlgorithms("sha384", SpdmAsym.EcdsaP384, 96), transcript.Algorithms);
        Assert.True(transcript.SignatureRequested);
        Assert.Equal(Nonce, transcript.RequestNonce!.Value);
        Assert.Equal(Evidence.Responder.Vca().Length + exchange.Length - 96, transcript.Signed.Length);
    }

    [Fact]
    public void TranscriptWithoutVcaOrSignatureRequestIsParsedButCarriesNoNonce()
    {
        var transcript = SpdmTranscript.Parse(Evidence.Responder.Exchange(Nonce, Evidence.MeasurementRecord.AsSpan(), signed: false), out _)!;

        Assert.Null(transcript.Algorithms);
        Assert.False(transcript.SignatureRequested);
        Assert.Null(transcript.RequestNonce);
        Assert.True(transcript.Response.Signature.IsEmpty);
    }

    [Fact]
    public void VcaThatIsNotSpdm12IsRejected()
    {
        var vca = Evidence.Responder.Vca();
        vca[12] = 0x11; // GET_CAPABILITIES claims 1.1: another layout

        Assert.Null(SpdmTranscript.Parse([.. vca, .. Response()], out var error));
        Assert.Contains("truncated or not SPDM 1.2", error);
    }
}
