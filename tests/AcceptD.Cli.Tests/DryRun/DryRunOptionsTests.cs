using AcceptD.Testing;

namespace AcceptD.Cli.Tests.DryRun;

/// <summary>The dry-run decides with the daemon's options: acceptd.conf and the kernel command line, not defaults.</summary>
public sealed class DryRunOptionsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("acceptd-dry-run-options-").FullName;

    private static string Snapshot => Path.Combine(KernelTree.RepositoryRoot(), "tests", "data", "snapshots", "qemu-virtio-guest.tar.gz");

    [Fact]
    public void A_permissive_acceptd_conf_makes_denials_reports_with_no_writes()
    {
        var config = Path.Combine(_dir, "acceptd.conf");
        File.WriteAllText(config, "mode = permissive\n");
        var (exit, output, error) = CliRunner.Run("dry-run", "--snapshot", Snapshot, "--policy", CliRunner.ShippedPolicy, "--config", config);
        Assert.True(exit == 0, error);
        Assert.Contains("options: mode permissive", output);
        Assert.DoesNotContain("write 'none'", output);
    }

    [Fact]
    public void A_bad_acceptd_conf_is_refused_naming_its_line()
    {
        var config = Path.Combine(_dir, "acceptd.conf");
        File.WriteAllText(config, "mode = lenient\n");
        var (exit, _, error) = CliRunner.Run("dry-run", "--snapshot", Snapshot, "--policy", CliRunner.ShippedPolicy, "--config", config);
        Assert.Equal(CliErrors.Failure, exit);
        Assert.Contains($"{config}:1: mode must be 'enforce' or 'permissive', not 'lenient'", error);
    }

    public void Dispose() => Directory.Delete(_dir, true);
}
