using System.Diagnostics;
using System.Runtime.InteropServices;

namespace AcceptD.Os.DBus;

/// <summary>
/// One sd-bus connection. Not thread-safe (neither is sd_bus): use it from one thread only — the
/// <see cref="BusLoop"/> thread in the daemon, the main thread in the CLI. Registrations are floating slots
/// that live as long as the connection.
/// </summary>
public sealed unsafe class BusConnection : IDisposable
{
    private readonly bool _owned;
    private readonly List<GCHandle> _matchHandlers = [];

    private BusConnection(IntPtr bus, bool owned)
    {
        Handle = bus;
        _owned = owned;
    }

    internal IntPtr Handle { get; private set; }

    /// <summary>Connects to the system bus (<paramref name="address"/> null) or to the given address as a bus client.
    /// Throws <see cref="BusErrorException"/> org.freedesktop.DBus.Error.NoServer when it cannot,
    /// <see cref="DllNotFoundException"/> without libsystemd.</summary>
    public static BusConnection Open(string? address)
    {
        IntPtr bus;
        if (address is null)
        {
            Connect(LibSdBus.sd_bus_open_system(out bus), "connect to the system bus");
            return new BusConnection(bus, owned: true);
        }
        Check(LibSdBus.sd_bus_new(out bus), "create a bus object");
        var connection = new BusConnection(bus, owned: true);
        try
        {
            Connect(LibSdBus.sd_bus_set_address(bus, address), $"use bus address '{address}'");
            Check(LibSdBus.sd_bus_set_bus_client(bus, 1), "act as bus client");
            Connect(LibSdBus.sd_bus_start(bus), $"connect to {address}");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static void Connect(int r, string what)
    {
        if (r < 0) throw new BusErrorException(BusErrorException.NoServer, $"cannot {what}: {Errno.Describe(r)}");
    }

    /// <summary>The connection a message arrived on, borrowed for the duration of a callback.</summary>
    public static BusConnection Of(BusMessage message) => new(LibSdBus.sd_bus_message_get_bus(message.Handle), owned: false);

    public string UniqueName
    {
        get
        {
            Check(LibSdBus.sd_bus_get_unique_name(Handle, out var name), "get unique name");
            return LibSdBus.Utf8(name)!;
        }
    }

    public void RequestName(string name) =>
        Check(LibSdBus.sd_bus_request_name(Handle, name, 0), $"own the name {name} (another instance running, or not allowed by the bus policy?)");

    public void AddObject(string path, ExportedInterface exported) =>
        Check(LibSdBus.sd_bus_add_object_vtable(Handle, IntPtr.Zero, path, exported.Info.Name, exported.Vtable, exported.UserData),
            $"export {exported.Info.Name} at {path}");

    /// <summary>Serves <paramref name="exported"/> at every path below <paramref name="prefix"/> its tree says exists.</summary>
    public void AddFallback(string prefix, ExportedInterface exported)
    {
        if (exported.Tree is null) throw new ArgumentException($"{exported.Info.Name} has no object tree for a fallback", nameof(exported));
        Check(LibSdBus.sd_bus_add_fallback_vtable(Handle, IntPtr.Zero, prefix, exported.Info.Name, exported.Vtable,
            &ExportedInterface.OnFind, exported.UserData), $"export {exported.Info.Name} below {prefix}");
        Check(LibSdBus.sd_bus_add_node_enumerator(Handle, IntPtr.Zero, prefix, &ExportedInterface.OnEnumerate, exported.UserData),
            $"enumerate objects below {prefix}");
    }

    public void EmitSignal(string path, string iface, string member, Action<BusMessage> arguments)
    {
        Check(LibSdBus.sd_bus_message_new_signal(Handle, out var m, path, iface, member), $"create signal {member}");
        try
        {
            arguments(new BusMessage(m));
            Check(LibSdBus.sd_bus_send(Handle, m, IntPtr.Zero), $"send signal {member}");
        }
        finally
        {
            LibSdBus.sd_bus_message_unref(m);
        }
    }

    public void EmitPropertiesChanged(string path, string iface, IReadOnlyCollection<string> names)
    {
        if (names.Count == 0) return;
        var strv = (byte**)NativeMemory.AllocZeroed((nuint)(names.Count + 1), (nuint)sizeof(IntPtr));
        try
        {
            int i = 0;
            foreach (var n in names) strv[i++] = (byte*)Marshal.StringToCoTaskMemUTF8(n);
            Check(LibSdBus.sd_bus_emit_properties_changed_strv(Handle, path, iface, (IntPtr)strv), $"emit PropertiesChanged for {path}");
        }
        finally
        {
            for (int i = 0; strv[i] != null; i++) Marshal.FreeCoTaskMem((IntPtr)strv[i]);
            NativeMemory.Free(strv);
        }
    }

    /// <summary>Calls a method and hands the reply to <paramref name="read"/>; an error reply throws <see cref="BusErrorException"/>.</summary>
    public T Call<T>(string destination, string path, string iface, string member, Action<BusMessage>? arguments,
        Func<BusMessage, T> read, TimeSpan? timeout = null)
    {
        Check(LibSdBus.sd_bus_message_new_method_call(Handle, out var m, destination, path, iface, member), $"create call {member}");
        IntPtr reply = IntPtr.Zero;
        SdBusError error = default;
        try
        {
            arguments?.Invoke(new BusMessage(m));
            ulong usec = timeout is { } t ? (ulong)(t.Ticks / 10) : 0;
            int r = LibSdBus.sd_bus_call(Handle, m, usec, &error, out reply);
            if (r < 0)
            {
                var name = LibSdBus.Utf8(error.Name);
                throw name is null
                    ? new BusErrorException(BusErrorException.NoReply, $"{member} on {destination}: {Errno.Describe(r)}")
                    : new BusErrorException(name, LibSdBus.Utf8(error.Message) ?? name);
            }
            return read(new BusMessage(reply));
        }
        finally
        {
            LibSdBus.sd_bus_error_free(&error);
            LibSdBus.sd_bus_message_unref(reply);
            LibSdBus.sd_bus_message_unref(m);
        }
    }

    /// <summary>Calls <paramref name="onMessage"/> for every message matching the rule (e.g. "type='signal',sender='org.acceptd1'").
    /// The callback runs inside <see cref="Process"/>; an exception it throws is rethrown from there.</summary>
    public void AddMatch(string rule, Action<BusMessage> onMessage)
    {
        var handle = GCHandle.Alloc(new MatchTarget(onMessage));
        _matchHandlers.Add(handle);
        Check(LibSdBus.sd_bus_add_match(Handle, IntPtr.Zero, rule, &OnMatch, GCHandle.ToIntPtr(handle)), $"add match {rule}");
    }

    /// <summary>Dispatches everything that is ready, without blocking. Throws when the connection is lost.</summary>
    public void Process()
    {
        int r;
        while ((r = LibSdBus.sd_bus_process(Handle, IntPtr.Zero)) > 0)
            foreach (var h in _matchHandlers) ((MatchTarget)h.Target!).RethrowPending();
        Check(r, "process bus messages");
    }

    /// <summary>The poll(2) entry for this connection and how long poll may sleep before sd-bus has a timer due.</summary>
    internal (PollFd Fd, int TimeoutMs) PollSetup(int maxMs)
    {
        int fd = LibSdBus.sd_bus_get_fd(Handle);
        Check(fd, "get bus fd");
        int events = LibSdBus.sd_bus_get_events(Handle);
        Check(events, "get bus events");
        Check(LibSdBus.sd_bus_get_timeout(Handle, out var until), "get bus timeout");
        int ms = maxMs;
        if (until != ulong.MaxValue)
        {
            long nowUs = (long)(Stopwatch.GetTimestamp() / (Stopwatch.Frequency / 1_000_000.0));
            ms = (int)Math.Clamp(((long)until - nowUs + 999) / 1000, 0, maxMs < 0 ? int.MaxValue : maxMs);
        }
        return (new PollFd { Fd = fd, Events = (short)events }, ms);
    }

    /// <summary>Waits up to <paramref name="maxMs"/> for the connection to have work (client loops).</summary>
    public void Wait(int maxMs)
    {
        var (pfd, ms) = PollSetup(maxMs);
        Libc.Poll(&pfd, 1, ms);
    }

    public void Dispose()
    {
        if (_owned && Handle != IntPtr.Zero) LibSdBus.sd_bus_flush_close_unref(Handle);
        Handle = IntPtr.Zero;
        foreach (var h in _matchHandlers) h.Free();
        _matchHandlers.Clear();
    }

    internal static void Check(int r, string what)
    {
        if (r < 0) throw new BusErrorException(r is -Errno.EACCES ? BusErrorException.AccessDenied : BusErrorException.Failed,
            $"cannot {what}: {Errno.Describe(r)}");
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(System.Runtime.CompilerServices.CallConvCdecl)])]
    private static int OnMatch(IntPtr message, IntPtr userdata, IntPtr error)
    {
        ((MatchTarget)GCHandle.FromIntPtr(userdata).Target!).Deliver(new BusMessage(message));
        return 0;
    }

    /// <summary>Keeps an exception of the managed callback until control is back in managed code.</summary>
    private sealed class MatchTarget(Action<BusMessage> onMessage)
    {
        private Exception? _pending;

        public void Deliver(BusMessage m)
        {
            try { onMessage(m); }
            catch (Exception e) { _pending ??= e; }
        }

        public void RethrowPending()
        {
            if (_pending is { } e) { _pending = null; System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e); }
        }
    }
}
