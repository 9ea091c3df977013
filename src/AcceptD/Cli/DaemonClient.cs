using System.CommandLine;
using AcceptD.Daemon.Bus;
using AcceptD.Os.DBus;

namespace AcceptD.Cli;

/// <summary>
/// The CLI side of org.acceptd1: typed calls for the client verbs, and <see cref="Run"/>, which turns every way a
/// call can fail into one clear line on stderr and an exit code from <see cref="CliErrors"/>.
/// </summary>
public sealed class DaemonClient(BusConnection bus)
{
    public sealed record DeviceRow(string Path, string Key, string State, string Verdict, string Driver, string Rule);

    /// <summary>A client verb: the given arguments and options plus --bus-address; <paramref name="body"/> gets a connected client and stdout.</summary>
    public static Command Verb(string name, string description, Func<ParseResult, DaemonClient, TextWriter, int> body, params Symbol[] symbols)
    {
        var command = new Command(name, description);
        var busAddress = CommonOptions.BusAddress();
        foreach (var symbol in symbols.Append(busAddress))
        {
            if (symbol is Option option) command.Options.Add(option);
            else command.Arguments.Add((Argument)symbol);
        }
        command.SetAction(parse => Run(parse.GetValue(busAddress), parse.InvocationConfiguration.Error,
            client => body(parse, client, parse.InvocationConfiguration.Output)));
        return command;
    }

    /// <summary>Connects (system bus, or <paramref name="busAddress"/>), runs <paramref name="verb"/> and maps errors to exit codes.</summary>
    public static int Run(string? busAddress, TextWriter error, Func<DaemonClient, int> verb)
    {
        try
        {
            using var bus = BusConnection.Open(busAddress);
            return verb(new DaemonClient(bus));
        }
        catch (DllNotFoundException)
        {
            error.WriteLine("acceptd: libsystemd.so.0 is missing, cannot talk to the daemon");
            return CliErrors.NoDaemon;
        }
        catch (BusErrorException e) when (e.IsNoService)
        {
            error.WriteLine($"acceptd: the daemon is not running (nobody owns {BusNames.Service} on {busAddress ?? "the system bus"})");
            return CliErrors.NoDaemon;
        }
        catch (BusErrorException e) when (e.Name == BusErrorException.AccessDenied)
        {
            error.WriteLine($"acceptd: access denied: {e.Message}");
            error.WriteLine($"acceptd: run as root, or get polkit authorization for {BusNames.ManageAction}");
            return CliErrors.AccessDenied;
        }
        catch (BusErrorException e) when (e.Name.StartsWith("org.acceptd1.Error.", StringComparison.Ordinal))
        {
            error.WriteLine($"acceptd: {e.Message}");
            return CliErrors.Failure;
        }
        catch (BusErrorException e) when (e.Name == BusErrorException.NoServer)
        {
            error.WriteLine($"acceptd: the daemon is not running ({e.Message})");
            return CliErrors.NoDaemon;
        }
        catch (BusErrorException e)
        {
            error.WriteLine($"acceptd: {e.Name}: {e.Message}");
            return CliErrors.Failure;
        }
    }

    public BusConnection Bus => bus;

    public IReadOnlyList<DeviceRow> ListDevices(string filter) => Call("ListDevices", m => m.AppendString(filter), r =>
    {
        var rows = new List<DeviceRow>();
        r.Enter('a', "(osssss)");
        while (r.Enter('r', "osssss"))
        {
            rows.Add(new DeviceRow(r.ReadObjectPath(), r.ReadString(), r.ReadString(), r.ReadString(), r.ReadString(), r.ReadString()));
            r.Exit();
        }
        r.Exit();
        return rows;
    });

    /// <summary>The device's properties in the daemon's order, values as text (booleans "true"/"false", times in µs).</summary>
    public IReadOnlyList<(string Name, string Value)> GetDevice(string device) =>
        Call("GetDevice", m => m.AppendString(device), ReadProperties);

    public string Accept(string device, bool persistent) => Call("AcceptDevice", m => m.AppendString(device).AppendBool(persistent), ReadString);

    public string Deny(string device, bool persistent) => Call("DenyDevice", m => m.AppendString(device).AppendBool(persistent), ReadString);

    public string LockTopology() => Call("LockTopology", null, ReadString);

    public string ReloadPolicy() => Call("ReloadPolicy", null, ReadString);

    public string Topology() => Call("GetTopology", null, ReadString);

    /// <summary>Whether the daemon currently owns its name (watch waits for it rather than failing later).</summary>
    public bool DaemonPresent() => bus.Call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "NameHasOwner",
        m => m.AppendString(BusNames.Service), r => r.ReadBool());

    /// <summary>Reads an a{sv} of the values AcceptD sends (s, o, b, u, t, as, a{su}) into text.</summary>
    public static IReadOnlyList<(string Name, string Value)> ReadProperties(BusMessage r)
    {
        var list = new List<(string, string)>();
        r.Enter('a', "{sv}");
        while (r.Enter('e', "sv"))
        {
            var name = r.ReadString();
            list.Add((name, ReadVariantText(r)));
            r.Exit();
        }
        r.Exit();
        return list;
    }

    public static string ReadVariantText(BusMessage r)
    {
        var contents = r.Peek()?.Contents ?? "";
        r.Enter('v', contents);
        string text;
        switch (contents)
        {
            case "s": text = r.ReadString(); break;
            case "o": text = r.ReadObjectPath(); break;
            case "b": text = r.ReadBool() ? "true" : "false"; break;
            case "u": text = r.ReadUInt32().ToString(); break;
            case "t": text = r.ReadUInt64().ToString(); break;
            case "as":
                var items = new List<string>();
                r.Enter('a', "s");
                while (r.Peek() is not null) items.Add(r.ReadString());
                r.Exit();
                text = string.Join(",", items);
                break;
            case "a{su}":
                var pairs = new List<string>();
                r.Enter('a', "{su}");
                while (r.Enter('e', "su"))
                {
                    pairs.Add($"{r.ReadString()}={r.ReadUInt32()}");
                    r.Exit();
                }
                r.Exit();
                text = string.Join(",", pairs);
                break;
            default: r.Skip(); text = $"({contents})"; break;
        }
        r.Exit();
        return text;
    }

    private static string ReadString(BusMessage r) => r.ReadString();

    private T Call<T>(string method, Action<BusMessage>? args, Func<BusMessage, T> read) =>
        bus.Call(BusNames.Service, BusNames.ManagerPath, BusNames.ManagerInterface, method, args, read, TimeSpan.FromSeconds(60));
}
