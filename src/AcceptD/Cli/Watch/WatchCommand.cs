using System.CommandLine;
using AcceptD.Daemon.Bus;
using AcceptD.Os.DBus;

namespace AcceptD.Cli.Watch;

/// <summary>`acceptd watch`: follows the daemon's signals live, one line per event, until Ctrl-C (exit 130, as for any interrupted command).</summary>
public static class WatchCommand
{
    public static Command Create()
    {
        var busAddress = CommonOptions.BusAddress();
        var command = new Command("watch", "Print device and daemon events as they happen, until Ctrl-C.") { busAddress };
        command.SetAction((parse, cancel) => Task.FromResult(DaemonClient.Run(parse.GetValue(busAddress), parse.InvocationConfiguration.Error,
            client => Follow(client, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancel))));
        return command;
    }

    private static int Follow(DaemonClient client, TextWriter output, TextWriter error, CancellationToken cancel)
    {
        var bus = client.Bus;
        bus.AddMatch($"type='signal',sender='{BusNames.Service}',path='{BusNames.ManagerPath}',interface='{BusNames.ManagerInterface}'",
            m => Print(output, EventName(m.Member), Key(m.ReadObjectPath()), m.ReadString()));
        bus.AddMatch($"type='signal',sender='{BusNames.Service}',path='{BusNames.ManagerPath}',interface='{BusNames.PropertiesInterface}',member='PropertiesChanged'",
            m =>
            {
                m.ReadString();
                foreach (var (name, value) in DaemonClient.ReadProperties(m)) Print(output, "daemon", name, value);
            });
        bus.AddMatch($"type='signal',sender='org.freedesktop.DBus',member='NameOwnerChanged',arg0='{BusNames.Service}'",
            m =>
            {
                m.ReadString();
                m.ReadString();
                Print(output, "daemon", m.ReadString().Length == 0 ? "stopped" : "started", "");
            });
        if (!client.DaemonPresent())
        {
            error.WriteLine($"acceptd: the daemon is not running (nobody owns {BusNames.Service})");
            return CliErrors.NoDaemon;
        }
        while (!cancel.IsCancellationRequested)
        {
            bus.Process();
            bus.Wait(200);
        }
        return CliErrors.Ok;
    }

    private static string EventName(string? member) => member switch
    {
        "DeviceAdded" => "added",
        "DeviceChanged" => "changed",
        "TopologyViolation" => "violation",
        _ => member ?? "?",
    };

    private static string Key(string path) => BusPath.Decode(path, BusNames.DevicePrefix) ?? path;

    private static void Print(TextWriter output, string what, string subject, string detail) =>
        output.WriteLine($"{DateTime.Now:HH:mm:ss} {what,-9} {subject} {detail}".TrimEnd());
}
