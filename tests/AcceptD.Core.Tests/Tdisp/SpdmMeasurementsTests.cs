using AcceptD.Core.Tdisp;
using AcceptD.Testing.TsmSimulator;

namespace AcceptD.Core.Tests.Tdisp;

public sealed class SpdmMeasurementsTests
{
    [Fact]
    public void Record_is_the_same_across_responses_with_different_nonces()
    {
        var evidence = TestDeviceEvidence.Create();
        var a = SpdmMeasurements.Parse(evidence.MeasurementsResponse(), out _)!;
        var b = SpdmMeasurements.Parse(evidence.MeasurementsResponse(), out _)!;

        Assert.Equal(2, a.BlockCount);
        Assert.Equal(evidence.MeasurementRecord, a.Record);
        Assert.Equal(a.Record, b.Record);
    }

    [Theory]
    [InlineData(1, 0x61, "response code 0x61 is not MEASUREMENTS")]
    [InlineData(4, 3, "record holds 2 blocks, header says 3")]
    [InlineData(5, 0xff, "overruns the")]
    public void Rejects_inconsistent_responses(int offset, byte value, string message)
    {
        var blob = TestDeviceEvidence.Create().MeasurementsResponse();
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
}
