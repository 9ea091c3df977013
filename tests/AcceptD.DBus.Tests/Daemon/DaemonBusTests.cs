using System.Xml.Linq;
using AcceptD.Cli;
using AcceptD.Daemon.Bus;

namespace AcceptD.DBus.Tests.Daemon;

/// <summary>
/// The real `acceptd daemon --dry-run` over a fake sysfs tree, on a private bus, driven by our CLI, busctl and gdbus.
/// One daemon for the class (it takes seconds to start); tests only change the e1000.
/// </summary>
public sealed class DaemonBusTests(RealDaemon daemon) : IClassFixture<RealDaemon>
{
    private (int Exit, string Out, string Err) Acceptd(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = AcceptdCommand.Create().Parse([.. args, "--bus-address", daemon.Bus.Address])
            .Invoke(new System.CommandLine.InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void List_and_show_report_the_daemons_decisions()
    {
        var (exit, table, err) = Acceptd("list");
        Assert.True(exit == 0, err);
        var virtio = table.Split('\n').Single(l => l.StartsWith(RealDaemon.VirtioKey, StringComparison.Ordinal));
        Assert.Contains(" allow ", virtio);
        var show = Acceptd("show", RealDaemon.VirtioKey);
        Assert.Contains("PlannedDriver:    virtio-pci", show.Out);
        Assert.Contains("SysPath:          /sys/devices/pci0000:00/0000:00:03.0", show.Out);
        Assert.Contains("Vendor:           1af4", show.Out);
        Assert.Contains("Rule:             ", show.Out);
    }

    [Theory]
    [InlineData("/org/acceptd1", "org.acceptd1.Manager")]
    [InlineData("/org/acceptd1/device/pci_2f0000_3a00_3a03_2e0", "org.acceptd1.Device")]
    public void Introspection_matches_the_committed_xml(string path, string iface)
    {
        var live = XDocument.Parse(Tools.Run("gdbus", ["introspect", "--address", daemon.Bus.Address, "--xml", "--dest", "org.acceptd1",
            "--object-path", path]).Ok().Stdout);
        Assert.Equal(Introspection.Members(Introspection.Committed(), iface), Introspection.Members(live, iface));
    }

    [Fact]
    public void Operator_accept_is_announced_and_nobody_is_refused()
    {
        var nobody = Tools.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "acceptd.dll"), "accept", RealDaemon.E1000Key,
            "--bus-address", daemon.Bus.Address], asNobody: true, env: new Dictionary<string, string> { ["DOTNET_CLI_HOME"] = "/tmp", ["HOME"] = "/tmp" });
        Assert.Equal(CliErrors.AccessDenied, nobody.ExitCode);

        using var monitor = new SignalMonitor(daemon.Bus.Address);
        var (exit, message, err) = Acceptd("accept", RealDaemon.E1000Key);
        Assert.True(exit == 0, err + daemon.Log);
        Assert.StartsWith("pci/0000:00:04.0: allow (until reboot)", message);
        monitor.WaitFor($"org.acceptd1.Manager.DeviceChanged (objectpath '{GateBusService.PathOf(RealDaemon.E1000Key)}'");
        monitor.WaitFor("'Verdict': <'allow'>");
        Assert.Contains("Verdict:          allow", Acceptd("show", RealDaemon.E1000Key).Out);
    }

    [Theory]
    [InlineData("../../etc/passwd", BusNames.InvalidArgument)]
    [InlineData("pci/0000:00:99.0", BusNames.UnknownDevice)]
    public void Bad_input_gets_named_errors_and_the_daemon_keeps_running(string device, string error)
    {
        var r = Tools.Run("gdbus", ["call", "--address", daemon.Bus.Address, "--dest", "org.acceptd1", "--object-path", "/org/acceptd1",
            "--method", "org.acceptd1.Manager.DenyDevice", device, "false"]);
        Assert.Contains("GDBus.Error:" + error, r.Stderr);
        Assert.Equal(0, Acceptd("list").Exit);
    }
}
