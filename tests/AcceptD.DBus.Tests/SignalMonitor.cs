using System.Collections.Concurrent;
using System.Diagnostics;

namespace AcceptD.DBus.Tests;

/// <summary>`gdbus monitor` on the service: an independent client that prints every signal org.acceptd1 sends.</summary>
public sealed class SignalMonitor : IDisposable
{
    private readonly Process process;
    private readonly BlockingCollection<string> lines = [];
    private readonly List<string> seen = [];

    public SignalMonitor(string address)
    {
        var psi = new ProcessStartInfo("gdbus") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "monitor", "--address", address, "--dest", "org.acceptd1" }) psi.ArgumentList.Add(a);
        process = Process.Start(psi)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lines.Add(e.Data); };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        WaitFor("is owned by"); // subscribed once it has resolved the owner
    }

    public string WaitFor(string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            if (seen.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal)) is { } hit) return hit;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !lines.TryTake(out var line, left))
                throw new TimeoutException($"gdbus monitor never printed '{text}'; it printed:\n{string.Join('\n', seen)}");
            seen.Add(line);
        }
    }

    public void Dispose()
    {
        try { process.Kill(); process.WaitForExit(5000); } catch (InvalidOperationException) { }
        process.Dispose();
    }
}
