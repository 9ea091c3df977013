using System.Diagnostics;
using AcceptD.Os.DBus;

namespace AcceptD.DBus.Tests;

/// <summary>
/// A real dbus-daemon on a socket in a temp dir, with the shipped systemd/org.acceptd1.conf included, so the bus
/// enforces AcceptD's own policy. EXTERNAL auth only; any local user may connect (the non-root tests need that).
/// </summary>
public sealed class PrivateBus : IDisposable
{
    private readonly Process _daemon;
    private readonly DirectoryInfo _dir;
    private readonly bool _ownsDir;
    private readonly List<Process> _helpers = [];

    /// <param name="socketDir">Where the socket goes (as socketDir/bus); a fresh temp dir, removed on Dispose, when null.</param>
    public PrivateBus(string? socketDir = null)
    {
        Tools.Require();
        _ownsDir = socketDir is null;
        _dir = socketDir is null ? Directory.CreateTempSubdirectory("acceptd-bus-") : new DirectoryInfo(socketDir);
        File.SetUnixFileMode(_dir.FullName, (UnixFileMode)0b111_101_101); // nobody must reach the socket
        var config = Path.Combine(_dir.FullName, "bus.conf");
        File.Delete(Path.Combine(_dir.FullName, "bus"));
        File.WriteAllText(config, $"""
            <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
             "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
            <busconfig>
              <type>system</type>
              <listen>unix:path={_dir.FullName}/bus</listen>
              <auth>EXTERNAL</auth>
              <policy context="default">
                <allow user="*"/>
                <allow own="*"/>
                <allow send_destination="*" eavesdrop="true"/>
                <allow eavesdrop="true"/>
              </policy>
              <include>{Tools.Repo}/systemd/org.acceptd1.conf</include>
            </busconfig>
            """);
        var psi = new ProcessStartInfo("dbus-daemon") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--config-file=" + config, "--print-address", "--nofork", "--nosyslog" }) psi.ArgumentList.Add(a);
        _daemon = Process.Start(psi)!;
        _daemon.ErrorDataReceived += (_, _) => { }; // "cannot raise fd limit" and the like, expected when not a real system bus
        _daemon.BeginErrorReadLine();
        Address = _daemon.StandardOutput.ReadLine() ?? throw new InvalidOperationException("dbus-daemon printed no address");
    }

    public string Address { get; }

    /// <summary>Starts python3-dbusmock's polkitd template on this bus; it refuses everything until told otherwise.</summary>
    public void StartPolkitMock()
    {
        var psi = new ProcessStartInfo(Tools.Python) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-m", "dbusmock", "--template", "polkitd" }) psi.ArgumentList.Add(a);
        psi.Environment["DBUS_SYSTEM_BUS_ADDRESS"] = Address;
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        _helpers.Add(p);
        WaitForName("org.freedesktop.PolicyKit1");
    }

    /// <summary>SetAllowed on the polkit mock: the action ids it grants from now on.</summary>
    public void PolkitAllow(params string[] actions) =>
        Tools.Run("gdbus", ["call", "--address", Address, "--dest", "org.freedesktop.PolicyKit1", "--object-path",
            "/org/freedesktop/PolicyKit1/Authority", "--method", "org.freedesktop.DBus.Mock.SetAllowed",
            "[" + string.Join(",", actions.Select(a => $"'{a}'")) + "]"]).Ok();

    public bool HasOwner(string name)
    {
        using var bus = BusConnection.Open(Address);
        return bus.Call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "NameHasOwner",
            m => m.AppendString(name), r => r.ReadBool());
    }

    public void WaitForName(string name, int seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!HasOwner(name))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{name} did not appear on {Address}");
            Thread.Sleep(20);
        }
    }

    public void Dispose()
    {
        foreach (var p in _helpers.Append(_daemon))
        {
            try { p.Kill(entireProcessTree: true); p.WaitForExit(5000); } catch (InvalidOperationException) { }
            p.Dispose();
        }
        if (_ownsDir) _dir.Delete(recursive: true);
        else File.Delete(Path.Combine(_dir.FullName, "bus"));
    }
}
