using System.Diagnostics;
using System.Text.Json;
using AcceptD.Cli;
using AcceptD.Core.State;
using AcceptD.Daemon.Bus;

namespace AcceptD.DBus.Tests.Cli;

/// <summary>Our own CLI against the service on a private dbus-daemon: in-process for output, as a process for Ctrl-C and nobody.</summary>
public sealed class ClientVerbTests : IDisposable
{
    private readonly ServedGate _served = new();

    public void Dispose() => _served.Dispose();

    private (int Exit, string Out, string Err) Acceptd(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = AcceptdCommand.Create().Parse([.. args, "--bus-address", _served.Address])
            .Invoke(new System.CommandLine.InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    private static string AcceptdDll => Path.Combine(AppContext.BaseDirectory, "acceptd.dll");

    [Fact]
    public void List_prints_a_table_and_json()
    {
        var (exit, table, _) = Acceptd("list");
        Assert.Equal(0, exit);
        Assert.Equal(["DEVICE            STATE  VERDICT  DRIVER      RULE",
                      "pci/0000:00:03.0  seen   -        -           -",
                      "pci/0000:00:04.0  bound  allow    virtio-pci  10-test.rules:3"], table.TrimEnd().Split('\n'));
        var json = JsonDocument.Parse(Acceptd("list", "--json", "bound").Out).RootElement;
        Assert.Equal("pci/0000:00:04.0", Assert.Single(json.EnumerateArray()).GetProperty("key").GetString());
    }

    [Fact]
    public void Show_prints_every_property_and_names_an_unknown_device()
    {
        var (exit, text, _) = Acceptd("show", "0000:00:04.0");
        Assert.Equal(0, exit);
        Assert.Contains("State:            bound", text);
        Assert.Contains("BoundBeforeStart: false", text);
        var missing = Acceptd("show", "pci/0000:00:77.0");
        Assert.Equal(CliErrors.Failure, missing.Exit);
        Assert.Equal("acceptd: no device 'pci/0000:00:77.0'\n", missing.Err);
    }

    [Fact]
    public void Accept_deny_lock_reload_and_topology_reach_the_gate()
    {
        Assert.Equal((0, "allow pci/0000:00:03.0\n", ""), Acceptd("accept", "pci/0000:00:03.0", "-p"));
        Assert.Equal((0, "deny pci/0000:00:04.0\n", ""), Acceptd("deny", "0000:00:04.0"));
        Assert.Equal((0, "topology locked\n", ""), Acceptd("lock"));
        Assert.Equal((CliErrors.Failure, "", "acceptd: topology is already locked\n"), Acceptd("lock"));
        Assert.Equal((0, "reloaded 1 policy file\n", ""), Acceptd("reload"));
        Assert.Equal((0, "{\"devices\":[]}\n", ""), Acceptd("topology"));
        Assert.Equal(["allow pci/0000:00:03.0 True", "deny pci/0000:00:04.0 False", "lock", "lock", "reload"], _served.Gate.Requests);
        Assert.Equal(DeviceState.Denied, _served.Gate.Find("pci/0000:00:04.0")!.State);
    }

    [Fact]
    public void Says_the_daemon_is_not_running_with_exit_3()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = AcceptdCommand.Create().Parse(["list", "--bus-address", "unix:path=/nonexistent/bus"])
            .Invoke(new System.CommandLine.InvocationConfiguration { Output = output, Error = error });
        Assert.Equal(CliErrors.NoDaemon, exit);
        Assert.StartsWith("acceptd: the daemon is not running", error.ToString());
        using var emptyBus = new PrivateBus();
        exit = AcceptdCommand.Create().Parse(["show", "x", "--bus-address", emptyBus.Address])
            .Invoke(new System.CommandLine.InvocationConfiguration { Output = output, Error = error = new StringWriter() });
        Assert.Equal(CliErrors.NoDaemon, exit);
        Assert.Equal($"acceptd: the daemon is not running (nobody owns org.acceptd1 on {emptyBus.Address})\n", error.ToString());
    }

    [Fact]
    public void A_non_root_caller_gets_access_denied_with_exit_4_and_nothing_changes()
    {
        var r = Tools.Run("dotnet", [AcceptdDll, "accept", ServedGate.NetKey, "--bus-address", _served.Address], asNobody: true,
            env: new Dictionary<string, string> { ["DOTNET_CLI_HOME"] = "/tmp", ["HOME"] = "/tmp" });
        Assert.Equal(CliErrors.AccessDenied, r.ExitCode);
        Assert.Contains("acceptd: access denied: not authorized for org.acceptd1.manage", r.Stderr);
        Assert.Empty(_served.Gate.Requests);
        var list = Tools.Run("dotnet", [AcceptdDll, "list", "--bus-address", _served.Address], asNobody: true,
            env: new Dictionary<string, string> { ["DOTNET_CLI_HOME"] = "/tmp", ["HOME"] = "/tmp" });
        Assert.Equal(0, list.ExitCode);
    }

    [Fact]
    public void Watch_follows_signals_until_interrupted()
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { AcceptdDll, "watch", "--bus-address", _served.Address }) psi.ArgumentList.Add(a);
        using var watch = Process.Start(psi)!;
        var lines = new System.Collections.Concurrent.BlockingCollection<string>();
        watch.OutputDataReceived += (_, e) => { if (e.Data is not null) lines.Add(e.Data); };
        watch.BeginOutputReadLine();
        // The watcher is subscribed once its match rules exist: poke until the first event shows up.
        string? first = null;
        for (int i = 0; i < 100 && first is null; i++)
        {
            _served.Gate.Put(InMemoryGate.Record("virtio", $"virtio{i}"));
            lines.TryTake(out first, 200, TestContext.Current.CancellationToken);
        }
        Assert.Matches(@"^\d\d:\d\d:\d\d added +virtio/virtio\d+ seen$", first);
        _served.Gate.Violate(ServedGate.BlockKey);
        var seen = new List<string>();
        while (!seen.Any(l => l.Contains(" violation ")) && lines.TryTake(out var line, 10_000, TestContext.Current.CancellationToken)) seen.Add(line);
        Assert.Contains(seen, l => l.EndsWith("changed   pci/0000:00:04.0 violation", StringComparison.Ordinal));
        Assert.Contains(seen, l => l.EndsWith("violation pci/0000:00:04.0 bound behind our back", StringComparison.Ordinal));
        Assert.Contains(seen, l => l.Contains("daemon    Counts ", StringComparison.Ordinal) && l.EndsWith(",violation=1", StringComparison.Ordinal));
        Tools.Run("kill", ["-INT", watch.Id.ToString()]).Ok();
        Assert.True(watch.WaitForExit(10_000));
        Assert.Equal(130, watch.ExitCode); // 128 + SIGINT, the shell convention for an interrupted command
    }
}
