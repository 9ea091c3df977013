using AcceptD.Testing;

namespace AcceptD.Cli.Tests.DryRun;

/// <summary>
/// The shipped snapshots, judged by the shipped policy, against reviewed golden output (decisions and planned writes).
/// After an intended change: ACCEPTD_UPDATE_GOLDEN=1 rewrites the golden files; review the diff before committing.
/// </summary>
public class SnapshotGoldenTests
{
    [Theory]
    [InlineData("qemu-virtio-guest")]
    [InlineData("firecracker-vm")]
    public void Dry_run_of_a_shipped_snapshot_matches_its_golden_output(string name)
    {
        var dir = Path.Combine(KernelTree.RepositoryRoot(), "tests", "data", "snapshots");
        var (exit, output, error) = CliRunner.Run("dry-run", "--snapshot", Path.Combine(dir, name + ".tar.gz"), "--policy", CliRunner.ShippedPolicy);
        Assert.True(exit == 0, error);
        var decisions = output[output.IndexOf("DEVICE ", StringComparison.Ordinal)..];
        var golden = Path.Combine(dir, name + ".dry-run.txt");
        if (Environment.GetEnvironmentVariable("ACCEPTD_UPDATE_GOLDEN") == "1") File.WriteAllText(golden, decisions);
        Assert.Equal(File.ReadAllText(golden), decisions);
    }
}
