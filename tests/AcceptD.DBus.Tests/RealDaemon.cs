using System.Diagnostics;
using AcceptD.Daemon.Bus;
using AcceptD.Testing;

namespace AcceptD.DBus.Tests;

/// <summary>
/// The real daemon as a process — `acceptd daemon --dry-run --sysfs-root &lt;fake tree&gt; --bus-address &lt;private bus&gt;` —
/// over a fake sysfs tree with a virtio NIC (allowed by the test policy) and an e1000 (denied by default).
/// </summary>
public sealed class RealDaemon : IDisposable
{
    public const string VirtioKey = "pci/0000:00:03.0", E1000Key = "pci/0000:00:04.0";
    private const string Rules = """
        allow bus=pci id=1af4:1000 module=virtio_pci reason="virtio transport"
        default deny reason="not hardened for CC"
        """;

    private readonly FakeSysfs _tree = FakeSysfs.Create();
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("acceptd-daemon-");
    private readonly Process _daemon;
    private readonly System.Text.StringBuilder _output = new();

    public RealDaemon()
    {
        Bus = new PrivateBus();
        _tree.AddBus("pci", autoprobe: false);
        _tree.AddPciDevice("0000:00:03.0", "0x1af4", "0x1000", "0x020000");
        _tree.AddPciDevice("0000:00:04.0", "0x8086", "0x100e", "0x020000");
        _tree.WriteModulesFile("modules.alias",
            "alias pci:v00001AF4d00001000sv*sd*bc*sc*i* virtio_pci\nalias pci:v00008086d0000100Esv*sd*bc*sc*i* e1000\n");
        _tree.WriteModulesFile("modules.dep", "kernel/virtio_pci.ko:\nkernel/e1000.ko:\n");
        var policy = Directory.CreateDirectory(Path.Combine(_work.FullName, "policy")).FullName;
        File.WriteAllText(Path.Combine(policy, "50-test.rules"), Rules);

        var config = Path.Combine(_work.FullName, "empty.conf"); // an explicit --config must exist; empty: every default
        File.WriteAllText(config, "");

        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "acceptd.dll"), "daemon", "--dry-run", "--sysfs-root", _tree.Root,
            "--policy", policy, "--state-dir", Path.Combine(_work.FullName, "state"), "--config", config,
            "--bus-address", Bus.Address })
            psi.ArgumentList.Add(a);
        psi.Environment["NOTIFY_SOCKET"] = "";
        _daemon = Process.Start(psi)!;
        _daemon.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _daemon.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _daemon.BeginOutputReadLine();
        _daemon.BeginErrorReadLine();
        try
        {
            Bus.WaitForName(BusNames.Service, seconds: 90);
        }
        catch (TimeoutException e)
        {
            var log = Log;
            Dispose();
            throw new TimeoutException($"{e.Message}; daemon output:\n{log}");
        }
    }

    public PrivateBus Bus { get; }

    public string Log
    {
        get { lock (_output) return _output.ToString(); }
    }

    public void Dispose()
    {
        if (!_daemon.HasExited)
        {
            Tools.Run("kill", ["-TERM", _daemon.Id.ToString()]);
            if (!_daemon.WaitForExit(10_000)) _daemon.Kill();
        }
        _daemon.Dispose();
        Bus.Dispose();
        _tree.Dispose();
        _work.Delete(recursive: true);
    }
}
