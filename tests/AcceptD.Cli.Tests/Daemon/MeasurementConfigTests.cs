using AcceptD.Daemon;
using AcceptD.Os.Measurement;

namespace AcceptD.Cli.Tests.Daemon;

/// <summary>acceptd.conf's measurement keys: the choice is parsed, and registers that cannot hold the log are refused.</summary>
public sealed class MeasurementConfigTests
{
    [Fact]
    public void WriterRegisterAndLogAreRead()
    {
        var (config, errors, _) = DaemonConfig.Parse("measurement = tpm\nmeasurement-register = 16\nmeasurement-log = /run/x/log\n", "acceptd.conf", "");

        Assert.Empty(errors);
        Assert.Equal(new MeasurementChoice("tpm", 16, "/run/x/log"), config!.Measurement);
    }

    [Theory]
    [InlineData("measurement = tpm\nmeasurement-register = 17", "acceptd.conf: measurement-register: PCR 17 cannot be extended from locality 0")]
    [InlineData("measurement-register = 22\nmeasurement = tpm", "acceptd.conf: measurement-register: PCR 22 cannot be extended from locality 0")]
    [InlineData("measurement = rtmr\nmeasurement-register = 4", "acceptd.conf: measurement-register: TDX has RTMR 0 to 3, not RTMR 4")]
    [InlineData("measurement-register = 23", "acceptd.conf: measurement-register needs measurement = rtmr, tpm or attestation-agent")]
    [InlineData("measurement = vtpm", "acceptd.conf:1: measurement must be one of auto, attestation-agent, rtmr, tpm, none, not 'vtpm'")]
    [InlineData("measurement-log = eventlog", "acceptd.conf:1: measurement-log must be an absolute path, not 'eventlog'")]
    public void UnusableChoicesAreRefusedNamingTheFile(string text, string error)
    {
        var (config, errors, _) = DaemonConfig.Parse(text, "acceptd.conf", "");

        Assert.Null(config);
        Assert.StartsWith(error, Assert.Single(errors));
    }
}
