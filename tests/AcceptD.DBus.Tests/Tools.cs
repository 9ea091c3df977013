using System.Diagnostics;

namespace AcceptD.DBus.Tests;

/// <summary>
/// The real programs the D-Bus tests drive: dbus-daemon, busctl, gdbus, setpriv, python3-dbusmock. A missing one is
/// installed by install-test-deps.sh (we run as root in CI); if still missing, the test fails under CI=true and is
/// skipped elsewhere.
/// </summary>
public static class Tools
{
    public const string Python = "/usr/bin/python3"; // Debian's, where python3-dbusmock lives (not a pyenv shim)
    private static readonly Lazy<string?> Missing = new(FindMissing);

    public static string Repo { get; } = FindRepo();

    public static void Require()
    {
        if (Missing.Value is not { } missing) return;
        if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail($"required test tool missing: {missing}");
        Assert.Skip($"required test tool missing: {missing}");
    }

    public static Result Run(string file, IEnumerable<string> args, TimeSpan? timeout = null, bool asNobody = false,
        IDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo(asNobody ? "setpriv" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (asNobody) foreach (var a in new[] { "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--", file }) psi.ArgumentList.Add(a);
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout ?? TimeSpan.FromSeconds(30)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish");
        }
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public Result Ok()
        {
            Assert.True(ExitCode == 0, $"exit {ExitCode}: {Stderr}{Stdout}");
            return this;
        }
    }

    private static string? FindMissing()
    {
        string[] needed = ["dbus-daemon", "busctl", "gdbus", "setpriv"];
        if (needed.Any(t => !OnPath(t)) || Run(Python, ["-c", "import dbusmock"]).ExitCode != 0)
            Run("bash", [Path.Combine(Repo, "tests/AcceptD.DBus.Tests/install-test-deps.sh")], TimeSpan.FromMinutes(10));
        return needed.FirstOrDefault(t => !OnPath(t))
            ?? (Run(Python, ["-c", "import dbusmock"]).ExitCode != 0 ? "python3-dbusmock" : null);
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, tool)));

    private static string FindRepo()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "AcceptD.sln"))) return d.FullName;
        throw new InvalidOperationException("cannot find the repository root above " + AppContext.BaseDirectory);
    }
}
