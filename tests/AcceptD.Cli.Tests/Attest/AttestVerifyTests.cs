using AcceptD.Core.Devices;
using AcceptD.Core.Measurement;
using AcceptD.Core.Topology;

namespace AcceptD.Cli.Tests.Attest;

/// <summary>`acceptd attest verify`: exit 0 only when the log replays to the given register; errors name the entry.</summary>
public sealed class AttestVerifyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("acceptd-verify-").FullName;

    private static readonly TopologyEntry Nic = new("pci/0000:01:00.0", "/devices/pci0000:00/0000:01:00.0", new DeviceIds("8086", "10d3"), "e1000e");

    /// <summary>A two-entry PCR 16 log written to disk, and the PCR value it replays to.</summary>
    private (string Path, string Pcr) Log()
    {
        var bank = MeasurementBank.Sha256;
        byte[] log = [.. Tcg2Log.Header(bank)];
        var value = bank.Initial;
        foreach (var (seq, e) in new[] { (1L, new TopologyEvent(TopologyEventKind.DeviceAccepted, "sha384:aa", Nic)),
                     (2L, new TopologyEvent(TopologyEventKind.TopologyLocked, "sha384:aa", null)) })
        {
            var (record, digest) = Tcg2Log.Event(16, bank, new MeasuredEvent(seq, "boot-1", "tpm2-pcr16", e).Text);
            log = [.. log, .. record];
            value = bank.Extend(value, digest);
        }
        var path = System.IO.Path.Combine(_dir, "eventlog");
        File.WriteAllBytes(path, log);
        return (path, Convert.ToHexStringLower(value));
    }

    [Fact]
    public void MatchingLogPrintsTheTopologyAndExitsZero()
    {
        var (path, pcr) = Log();
        var (exit, output, error) = CliRunner.Run("attest", "verify", "--log", path, "--pcr", $"16={pcr}");

        Assert.True(exit == 0, error);
        Assert.Equal($"OK: 2 AcceptD entries, tpm2-pcr16 replays to {pcr}\nboot:     boot-1\ntopology: sha384:aa\ndevice:   legacy-pcie:0000:01:00.0\n",
            output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void JsonCarriesTheSameVerdict()
    {
        var (path, pcr) = Log();
        var (exit, output, _) = CliRunner.Run("attest", "verify", "--log", path, "--pcr", $"16={pcr}", "--json", "--boot-id", "boot-2");

        Assert.Equal(1, exit);
        Assert.Contains("\"ok\": false", output);
        Assert.Contains("\"error\": \"entry 1: from boot boot-1, not boot-2 (a log of another boot)\"", output);
    }

    [Fact]
    public void WrongRegisterValueExitsOneNamingTheLastEntry()
    {
        var (path, _) = Log();
        var (exit, output, error) = CliRunner.Run("attest", "verify", "--log", path, "--pcr", "16=" + new string('0', 64));

        Assert.Equal(1, exit);
        Assert.StartsWith("FAILED", output);
        Assert.Contains("eventlog: entry 2 (the last): tpm2-pcr16 replays to ", error);
    }

    [Theory]
    [InlineData("--pcr", "17=00", "PCR 17 cannot be extended from locality 0")]
    [InlineData("--pcr", "16=00", "64 hex digits, not '00'")]
    [InlineData("--rtmr", "x", "'x' is not N=HEX")]
    public void BadRegisterArgumentsAreUsageErrors(string option, string value, string message)
    {
        var (path, _) = Log();
        var (exit, _, error) = CliRunner.Run("attest", "verify", "--log", path, option, value);

        Assert.Equal(2, exit);
        Assert.Contains(message, error);
    }

    [Fact]
    public void ARegisterMustBeGivenOnce()
    {
        var (exit, _, error) = CliRunner.Run("attest", "verify", "--log", "/nonexistent");

        Assert.Equal(2, exit);
        Assert.Contains("give exactly one of --rtmr N=HEX or --pcr N=HEX", error);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
