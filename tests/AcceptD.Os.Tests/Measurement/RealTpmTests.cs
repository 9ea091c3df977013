using AcceptD.Core.Measurement;
using AcceptD.Os.Measurement;
using AcceptD.Testing;

namespace AcceptD.Os.Tests.Measurement;

/// <summary>The TPM writer against Debian's swtpm, and the log against Debian's tpm2_eventlog.</summary>
public sealed class RealTpmTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("acceptd-realtpm-").FullName;

    [Fact]
    public void PcrExtendAndReadWorkOnARealTpmAndTheLogReplaysToIt()
    {
        using var tpm = new TpmTools.Swtpm();
        var pcr = new TpmPcr(23, tpm.Socket, tpm.Send);
        Assert.Equal(new byte[32], pcr.Read());

        var path = Path.Combine(_dir, "eventlog");
        var log = new LocalMeasurementLog(new EventLogFile(path), pcr, "boot-1", _ => { });
        log.Record(LocalMeasurementLogTests.Accepted);
        log.Record(new TopologyEvent(TopologyEventKind.TopologyLocked, "sha384:01", null));

        Assert.Null(log.Status.Error);
        var value = pcr.Read();
        Assert.NotEqual(new byte[32], value);
        var verified = LogVerification.Verify(File.ReadAllBytes(path), MeasuredRegister.Pcr(23), value);
        Assert.True(verified.Ok, verified.Error);
        Assert.Equal(Convert.ToHexStringLower(value), TpmTools.EventlogPcr(path, "sha256", 23));
    }

    [Fact]
    public void ALocalityZeroPcrIsRefusedByTheTpmToo()
    {
        using var tpm = new TpmTools.Swtpm();
        // The daemon refuses PCR 17-22 before it gets here; the TPM's own answer shows why.
        var error = Assert.Throws<IOException>(() => new TpmPcr(17, tpm.Socket, tpm.Send).Extend(new byte[32]));
        Assert.Contains("PCR_Extend of PCR 17: the TPM answered 0x", error.Message);
    }

    [Fact]
    public void Tpm2EventlogReadsTheRtmrLogAndReplaysTheSameValue()
    {
        var rtmr = new ExtendingRegister(MeasuredRegister.Rtmr(3));
        var path = Path.Combine(_dir, "eventlog");
        var log = new LocalMeasurementLog(new EventLogFile(path), rtmr, "boot-1", _ => { });
        log.Record(LocalMeasurementLogTests.Accepted);

        Assert.Equal(Convert.ToHexStringLower(rtmr.Value), TpmTools.EventlogPcr(path, "sha384", 4));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
