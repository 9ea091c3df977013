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

    private readonly string? address;
    private readonly Action<BusConnection> onConnected;
    private readonly ILogger log;
    private readonly ConcurrentQueue<Action<BusConnection>> work = new();
    private readonly int wakeFd;
    private readonly Thread thread;
    private volatile bool stopping;
    private string? lastProblem;

    public BusLoop(string? address, Action<BusConnection> onConnected, ILogger log)
    {
        this.address = address;
        this.onConnected = onConnected;
        this.log = log;
        wakeFd = Libc.EventFd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK);
        if (wakeFd < 0) throw new IOException($"eventfd failed: {Marshal.GetLastPInvokeErrorMessage()}");
        thread = new Thread(Run) { Name = "dbus", IsBackground = true };
        thread.Start();
    }

    /// <summary>Runs <paramref name="action"/> on the bus thread. Dropped when there is no connection: signals have no listener then.</summary>
    public void Post(Action<BusConnection> action)
    {
        work.Enqueue(action);
        Wake();
    }

    public void Dispose()
    {
        if (stopping) return;
        stopping = true;
        Wake();
        thread.Join();
        Libc.Close(wakeFd);
    }

    private void Wake()
    {
        ulong one = 1;
        Libc.Write(wakeFd, (byte*)&one, 8);
    }

    private void Run()
    {
        var backoff = TimeSpan.FromSeconds(1);
        while (!stopping)
        {
            try
            {
                using var bus = BusConnection.Open(address);
                onConnected(bus);
                log.Information("D-Bus: serving on {Bus} as {Unique}", address ?? "the system bus", bus.UniqueName);
                lastProblem = null;
                backoff = TimeSpan.FromSeconds(1);
                work.Clear();
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
            if (!stopping) Sleep(backoff);
            backoff = backoff * 2 > MaxBackoff ? MaxBackoff : backoff * 2;
        }
    }

    /// <summary>Logs a problem once; repeats of the same problem go to debug so a missing bus does not flood the log.</summary>
    private void Problem(string message)
    {
        if (message == lastProblem) log.Debug("{Problem}", message);
        else log.Warning("{Problem}", message);
        lastProblem = message;
    }

    private void Serve(BusConnection bus)
    {
        var fds = stackalloc PollFd[2];
        while (!stopping)
        {
            bus.Process();
            while (work.TryDequeue(out var action))
            {
                try { action(bus); }
                catch (BusErrorException e) { log.Warning("D-Bus: {Error}", e.Message); }
            }
            bus.Process();
            var (busFd, timeoutMs) = bus.PollSetup(-1);
            fds[0] = busFd;
            fds[1] = new PollFd { Fd = wakeFd, Events = Libc.POLLIN };
            if (Libc.Poll(fds, 2, timeoutMs) < 0 && Errno.Last != Errno.EINTR)
                throw new IOException($"poll failed: {Marshal.GetLastPInvokeErrorMessage()}");
            if (fds[1].REvents != 0) Drain();
        }
    }

    private void Drain()
    {
        ulong value;
        Libc.Read(wakeFd, (byte*)&value, 8);
    }

    /// <summary>Sleeps between connection attempts; posted work wakes it but is dropped, only Dispose ends it early.</summary>
    private void Sleep(TimeSpan duration)
    {
        var until = DateTime.UtcNow + duration;
        var pfd = new PollFd { Fd = wakeFd, Events = Libc.POLLIN };
        for (var left = duration; !stopping && left > TimeSpan.Zero; left = until - DateTime.UtcNow)
        {
            Libc.Poll(&pfd, 1, (int)Math.Ceiling(left.TotalMilliseconds));
            Drain();
            work.Clear();
        }
    }
}
