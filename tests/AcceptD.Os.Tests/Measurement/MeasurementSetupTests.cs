using AcceptD.Core.Measurement;
using AcceptD.Os.Measurement;
using AcceptD.Os.Measurement.AttestationAgent;

namespace AcceptD.Os.Tests.Measurement;

/// <summary>acceptd.conf's measurement choice against what a host under a test root offers.</summary>
public sealed class MeasurementSetupTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("acceptd-measure-root-").FullName;
    private int _opened;

    private void Put(string path, string text = "")
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_root + path)!);
        File.WriteAllText(_root + path, text);
    }

    /// <summary>The writer's status, each time with a fresh state directory (the banks of the writers differ).</summary>
    private MeasurementStatus Open(string writer, int? register = null) =>
        MeasurementSetup.Open(new MeasurementChoice(writer, register, null), _root, Path.Combine(_root, $"state{++_opened}"), _ => { }).Status;

    [Fact]
    public void Auto_takes_the_attestation_agent_then_tdx_rtmr_then_a_tpm_then_none()
    {
        Assert.Equal("none", Open("auto").Writer);
        Put("/dev/tpmrm0");
        Assert.Equal("tpm", Open("auto").Writer);
        Put(TsmRtmr.MeasurementsDirectory + "/rtmr3:sha384");
        Assert.Equal("rtmr", Open("auto").Writer);
        Put(AttestationAgentLog.DefaultSocket);
        Assert.Equal("attestation-agent", Open("auto").Writer);
        Assert.Equal("none", Open("none").Writer); // a writer named in acceptd.conf is taken as it is
    }

    [Fact]
    public void The_configured_register_reaches_the_writer()
    {
        Put(TsmRtmr.MeasurementsDirectory + "/rtmr2:sha384");
        Assert.StartsWith($"rtmr2 via {_root}{TsmRtmr.MeasurementsDirectory}/rtmr2:sha384", Open("rtmr", 2).Register);
        Assert.StartsWith("tpm2-pcr16 via", Open("tpm", 16).Register);
        Assert.StartsWith("register 5 via", Open("attestation-agent", 5).Register);
        Assert.StartsWith("register of the agent's choice via", Open("attestation-agent").Register);
    }

    [Fact]
    public void The_boot_id_is_read_bounded_and_a_huge_one_is_not_taken()
    {
        Put(MeasurementSetup.BootIdFile, new string('a', 100_000));
        var log = MeasurementSetup.Open(new MeasurementChoice("none", null, null), _root, Path.Combine(_root, "state"), _ => { });
        log.Record(LocalMeasurementLogTests.Accepted);

        Assert.Contains("\"boot_id\":\"unknown\"", Assert.Single(MeasurementSetup.AcceptdEntries(Path.Combine(_root, "state", "eventlog"))));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
