using System.Diagnostics;

namespace AcceptD.Testing;

/// <summary>
/// A real Debian kernel's module tree for tests that compare AcceptD with the real kmod: taken from env
/// ACCEPTD_KERNEL_TREE (flavour amd64) or ACCEPTD_CLOUD_KERNEL_TREE (cloud-amd64), else fetched (and cached) by
/// tests/vm/fetch-kernel.sh.
/// </summary>
/// <param name="Root">The tree's root: it holds lib/modules/Version.</param>
public sealed record KernelTree(string Root, string Version)
{
    public string ModulesDir => $"{Root}/lib/modules/{Version}";

    /// <summary>Whether a missing tree must fail a test instead of skipping it (CI=true).</summary>
    public static bool Required => Environment.GetEnvironmentVariable("CI") == "true";

    /// <summary>The kernel flavours the parity tests compare on (Debian's linux-image-FLAVOUR).</summary>
    public const string Generic = "amd64", Cloud = "cloud-amd64";

    /// <summary>Finds or fetches the tree of one flavour; the error says why not.</summary>
    public static (KernelTree? Tree, string? Error) Locate(string flavour = Generic)
    {
        var root = Environment.GetEnvironmentVariable(flavour == Cloud ? "ACCEPTD_CLOUD_KERNEL_TREE" : "ACCEPTD_KERNEL_TREE");
        if (string.IsNullOrEmpty(root))
        {
            var script = Path.Combine(RepositoryRoot(), "tests/vm/fetch-kernel.sh");
            var (code, output, error) = Run("bash", [script, flavour]);
            if (code != 0) return (null, $"{script} failed ({code}): {error.Trim()}");
            root = output.Trim().Split('\n')[^1];
        }
        var versions = Directory.Exists(root + "/lib/modules") ? Directory.GetDirectories(root + "/lib/modules") : [];
        return versions.Length == 1
            ? (new KernelTree(root.TrimEnd('/'), Path.GetFileName(versions[0])), null)
            : (null, $"{root}/lib/modules must hold exactly one kernel version, found {versions.Length}");
    }

    /// <summary>The directory holding AcceptD.sln, searched upwards from the test binary.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "AcceptD.sln"))) return dir.FullName;
        throw new InvalidOperationException($"AcceptD.sln not found above {AppContext.BaseDirectory}");
    }

    /// <summary>Runs a program to completion, feeding it no input; returns exit code, stdout and stderr.</summary>
    public static (int Code, string Output, string Error) Run(string program, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {program}");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }
}
