using System.Collections.Concurrent;
using System.Diagnostics;

namespace AcceptD.DBus.Tests;

/// <summary>`gdbus monitor` on the service: an independent client that prints every signal org.acceptd1 sends.</summary>
public sealed class SignalMonitor : IDisposable
{
    private readonly Process _process;
    private readonly BlockingCollection<string> _lines = [];
    private readonly List<string> _seen = [];

    public SignalMonitor(string address)
    {
        var psi = new ProcessStartInfo("gdbus") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "monitor", "--address", address, "--dest", "org.acceptd1" }) psi.ArgumentList.Add(a);
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _lines.Add(e.Data); };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        WaitFor("is owned by"); // subscribed once it has resolved the owner
    }

    public string WaitFor(string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            if (_seen.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal)) is { } hit) return hit;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !_lines.TryTake(out var line, left))
                throw new TimeoutException($"gdbus monitor never printed '{text}'; it printed:\n{string.Join('\n', _seen)}");
            _seen.Add(line);
        }
    }

    public void Dispose()
    {
        try { _process.Kill(); _process.WaitForExit(5000); } catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
