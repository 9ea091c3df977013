using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Serilog;

namespace AcceptD.Os.DBus;

/// <summary>
/// The one thread that owns the bus connection. It connects (system bus or a given address), lets
/// <c>onConnected</c> register objects and names, then polls the bus fd and an eventfd that other threads use to
/// post work. When libsystemd or the bus is missing, or the connection drops, it says so once and retries with
/// backoff (1 s doubling to 30 s); the rest of the daemon keeps running meanwhile.
/// </summary>
public sealed unsafe class BusLoop : IDisposable
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly string? _address;
    private readonly Action<BusConnection> _onConnected;
    private readonly ILogger _log;
    private readonly ConcurrentQueue<Action<BusConnection>> _work = new();
    private readonly int _wakeFd;
    private readonly Thread _thread;
    private volatile bool _stopping;
    private string? _lastProblem;

    public BusLoop(string? address, Action<BusConnection> onConnected, ILogger log)
    {
        _address = address;
        _onConnected = onConnected;
        _log = log;
        _wakeFd = Libc.EventFd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK);
        if (_wakeFd < 0) throw new IOException($"eventfd failed: {Marshal.GetLastPInvokeErrorMessage()}");
        _thread = new Thread(Run) { Name = "dbus", IsBackground = true };
        _thread.Start();
    }

    /// <summary>Runs <paramref name="action"/> on the bus thread. Dropped when there is no connection: signals have no listener then.</summary>
    public void Post(Action<BusConnection> action)
    {
        _work.Enqueue(action);
        Wake();
    }

    public void Dispose()
    {
        if (_stopping) return;
        _stopping = true;
        Wake();
        _thread.Join();
        Libc.Close(_wakeFd);
    }

    private void Wake()
    {
        ulong one = 1;
        Libc.Write(_wakeFd, (byte*)&one, 8);
    }

    private void Run()
    {
        var backoff = TimeSpan.FromSeconds(1);
        while (!_stopping)
        {
            try
            {
                using var bus = BusConnection.Open(_address);
                _onConnected(bus);
                _log.Information("D-Bus: serving on {Bus} as {Unique}", _address ?? "the system bus", bus.UniqueName);
                _lastProblem = null;
                backoff = TimeSpan.FromSeconds(1);
                _work.Clear();
                Serve(bus);
            }
            catch (DllNotFoundException)
            {
                Problem($"{LibSdBus.Library} is not available; D-Bus API disabled, retrying");
            }
            catch (Exception e)
            {
                Problem($"D-Bus unavailable ({e.Message}); retrying");
            }
            if (!_stopping) Sleep(backoff);
            backoff = backoff * 2 > MaxBackoff ? MaxBackoff : backoff * 2;
        }
    }

    /// <summary>Logs a problem once; repeats of the same problem go to debug so a missing bus does not flood the log.</summary>
    private void Problem(string message)
    {
        if (message == _lastProblem) _log.Debug("{Problem}", message);
        else _log.Warning("{Problem}", message);
        _lastProblem = message;
    }

    private void Serve(BusConnection bus)
    {
        var fds = stackalloc PollFd[2];
        while (!_stopping)
        {
            bus.Process();
            while (_work.TryDequeue(out var action))
            {
                try { action(bus); }
                catch (BusErrorException e) { _log.Warning("D-Bus: {Error}", e.Message); }
            }
            bus.Process();
            var (busFd, timeoutMs) = bus.PollSetup(-1);
            fds[0] = busFd;
            fds[1] = new PollFd { Fd = _wakeFd, Events = Libc.POLLIN };
            if (Libc.Poll(fds, 2, timeoutMs) < 0 && Errno.Last != Errno.EINTR)
                throw new IOException($"poll failed: {Marshal.GetLastPInvokeErrorMessage()}");
            if (fds[1].REvents != 0) Drain();
        }
    }

    private void Drain()
    {
        ulong value;
        Libc.Read(_wakeFd, (byte*)&value, 8);
    }

    /// <summary>Sleeps between connection attempts; posted work wakes it but is dropped, only Dispose ends it early.</summary>
    private void Sleep(TimeSpan duration)
    {
        var until = DateTime.UtcNow + duration;
        var pfd = new PollFd { Fd = _wakeFd, Events = Libc.POLLIN };
        for (var left = duration; !_stopping && left > TimeSpan.Zero; left = until - DateTime.UtcNow)
        {
            Libc.Poll(&pfd, 1, (int)Math.Ceiling(left.TotalMilliseconds));
            Drain();
            _work.Clear();
        }
    }
}
