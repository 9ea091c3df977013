using System.Globalization;
using Microsoft.Extensions.Hosting.Systemd;

namespace AcceptD.Os.Systemd;

/// <summary>
/// The sd_notify messages that Microsoft.Extensions.Hosting.Systemd does not send itself (it sends READY=1 and
/// STOPPING=1): STATUS= text, watchdog pings and start/stop timeout extensions. Does nothing when systemd does not
/// listen (no NOTIFY_SOCKET). The watchdog is pinged only from the event loop's own progress (<see cref="Alive"/>),
/// never by a timer: a stuck bind or netlink read stops the pings, and systemd restarts the daemon, which resumes.
/// </summary>
public sealed class ServiceNotifier
{
    /// <summary>Device changes come in bursts (a rescan, a hot-plugged bridge): STATUS= follows at most this often.</summary>
    public static readonly TimeSpan StatusInterval = TimeSpan.FromMilliseconds(500);

    private readonly ISystemdNotifier _notifier;
    private readonly TimeProvider _time;
    private readonly Lock _statusLock = new();
    private DateTimeOffset? _lastPing;
    private DateTimeOffset? _lastStatus;
    private Func<ServiceStatus>? _pendingStatus;

    /// <param name="notifier">
    /// The host's notifier. UseSystemd()/AddSystemd() register one only when the process runs as a systemd service,
    /// so pass <c>GetService&lt;ISystemdNotifier&gt;()</c>; null means a SystemdNotifier reading NOTIFY_SOCKET.
    /// </param>
    /// <param name="environment">Reads WATCHDOG_USEC and WATCHDOG_PID; the process environment by default.</param>
    /// <param name="time">The clock that spaces the watchdog pings.</param>
    public ServiceNotifier(ISystemdNotifier? notifier = null, Func<string, string?>? environment = null, TimeProvider? time = null)
    {
        _notifier = notifier ?? new SystemdNotifier();
        _time = time ?? TimeProvider.System;
        WatchdogInterval = _notifier.IsEnabled ? ReadWatchdogInterval(environment ?? Environment.GetEnvironmentVariable) : null;
    }

    /// <summary>
    /// The event loop finished a turn (and the gate's worker answered): pings the watchdog, at most every half interval
    /// (sd_watchdog_enabled(3): so one late turn does not kill the service).
    /// </summary>
    public void Alive()
    {
        if (!PingDue) return;
        _lastPing = _time.GetUtcNow();
        Send("WATCHDOG=1");
    }

    /// <summary>Whether <see cref="Alive"/> would ping now: the event loop asks the gate's worker for a heartbeat only then.</summary>
    public bool PingDue =>
        WatchdogInterval is { } interval && (_lastPing is not { } last || _time.GetUtcNow() - last >= interval / 2);

    /// <summary>The service manager's watchdog timeout, or null when the unit has no WatchdogSec= (or it is for another PID).</summary>
    public TimeSpan? WatchdogInterval { get; }

    public void Status(ServiceStatus status) => Status(status.ToString());

    /// <summary>
    /// The status changed: sent now when the last STATUS= is older than <see cref="StatusInterval"/>, else left for
    /// <see cref="FlushStatus"/>. <paramref name="current"/> is read when it is sent, so the newest counts go out.
    /// </summary>
    public void StatusChanged(Func<ServiceStatus> current)
    {
        lock (_statusLock)
        {
            _pendingStatus = current;
            SendStatusIfDue();
        }
    }

    /// <summary>The event loop's turn: sends a status change held back by <see cref="StatusChanged"/> once it is due.</summary>
    public void FlushStatus()
    {
        lock (_statusLock) SendStatusIfDue();
    }

    private void SendStatusIfDue()
    {
        if (_pendingStatus is not { } current || (_lastStatus is { } last && _time.GetUtcNow() - last < StatusInterval)) return;
        _pendingStatus = null;
        _lastStatus = _time.GetUtcNow();
        Status(current());
    }

    public void Status(string text) => Send("STATUS=" + text.ReplaceLineEndings(" "));

    /// <summary>Asks for <paramref name="extension"/> more start-up/shutdown time from now (long coldplug, slow module loads).</summary>
    public void ExtendTimeout(TimeSpan extension) => Send("EXTEND_TIMEOUT_USEC=" + Microseconds(extension));

    private void Send(string message)
    {
        if (_notifier.IsEnabled)
            _notifier.Notify(new ServiceState(message));
    }

    private static TimeSpan? ReadWatchdogInterval(Func<string, string?> environment)
    {
        if (environment("WATCHDOG_PID") is { } pid && pid != Environment.ProcessId.ToString(CultureInfo.InvariantCulture))
            return null;
        return ulong.TryParse(environment("WATCHDOG_USEC"), NumberStyles.None, CultureInfo.InvariantCulture, out var usec) && usec > 0
            ? TimeSpan.FromMicroseconds(usec)
            : null;
    }

    private static string Microseconds(TimeSpan span) =>
        ((ulong)Math.Max(0, span.Ticks / TimeSpan.TicksPerMicrosecond)).ToString(CultureInfo.InvariantCulture);
}
