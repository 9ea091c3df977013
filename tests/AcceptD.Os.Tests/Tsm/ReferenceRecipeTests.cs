using System.Diagnostics;
using AcceptD.Core.Tdisp;
using AcceptD.Testing.TsmSimulator;

namespace AcceptD.Os.Tests.Tsm;

/// <summary>
/// Runs the operator recipe of docs/tdisp.md §3 (its shell block, minus the device-evidence dumps) on evidence blobs
/// and checks it yields exactly the digests the verifier compares.
/// </summary>
public sealed class ReferenceRecipeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("acceptd-recipe-").FullName;

    [Fact]
    public void Documented_recipe_computes_the_verifiers_digests()
    {
        var evidence = TdispRig.Shared;
        File.WriteAllBytes(Path.Combine(_dir, "cert0.bin"), evidence.Blob(EvidenceType.Cert0));
        File.WriteAllBytes(Path.Combine(_dir, "meas.bin"), evidence.Blob(EvidenceType.Measurements));
        File.WriteAllBytes(Path.Combine(_dir, "report.bin"), evidence.Blob(EvidenceType.Report));

        var output = RunRecipe();

        Assert.Equal(
            [
                DigestHashing.Of("sha256", evidence.RootDer.AsSpan()).Hex,
                DigestHashing.Of("sha384", evidence.MeasurementRecord.AsSpan()).Hex,
                DigestHashing.Of("sha384", evidence.Report.AsSpan()).Hex,
            ],
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0]));
    }

    private string RunRecipe()
    {
        var doc = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "tdisp.md"));
        var start = doc.IndexOf("```sh\ndev=", StringComparison.Ordinal);
        Assert.True(start >= 0, "recipe block not found in docs/tdisp.md");
        var block = doc[(start + 6)..doc.IndexOf("```", start + 6, StringComparison.Ordinal)];
        var script = string.Join('\n', block.Split('\n').Where(l => !l.StartsWith("device-evidence ", StringComparison.Ordinal)));
        var info = new ProcessStartInfo("/bin/sh", ["-ec", script]) { WorkingDirectory = _dir, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEnd();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, stderr);
        return stdout;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "AcceptD.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("AcceptD.sln not found above " + AppContext.BaseDirectory);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
