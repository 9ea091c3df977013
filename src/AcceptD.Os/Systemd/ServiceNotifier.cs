using System.Globalization;
using Microsoft.Extensions.Hosting.Systemd;

namespace AcceptD.Os.Systemd;

/// <summary>
/// The sd_notify messages that Microsoft.Extensions.Hosting.Systemd does not send itself (it sends READY=1 and
/// STOPPING=1): STATUS= text, watchdog pings and start/stop timeout extensions. Does nothing when systemd does not
/// listen (no NOTIFY_SOCKET).
/// </summary>
public sealed class ServiceNotifier : IDisposable
{
    private readonly ISystemdNotifier _notifier;
    private readonly ITimer? _watchdog;

    /// <param name="notifier">
    /// The host's notifier. UseSystemd()/AddSystemd() register one only when the process runs as a systemd service,
    /// so pass <c>GetService&lt;ISystemdNotifier&gt;()</c>; null means a SystemdNotifier reading NOTIFY_SOCKET.
    /// </param>
    /// <param name="environment">Reads WATCHDOG_USEC and WATCHDOG_PID; the process environment by default.</param>
    /// <param name="time">Drives the watchdog timer.</param>
    public ServiceNotifier(ISystemdNotifier? notifier = null, Func<string, string?>? environment = null, TimeProvider? time = null)
    {
        _notifier = notifier ?? new SystemdNotifier();
        WatchdogInterval = _notifier.IsEnabled ? ReadWatchdogInterval(environment ?? Environment.GetEnvironmentVariable) : null;
        if (WatchdogInterval is { } interval)
        {
            // sd_watchdog_enabled(3): ping at half the interval so one late tick does not kill the service.
            var period = interval / 2;
            _watchdog = (time ?? TimeProvider.System).CreateTimer(_ => Send("WATCHDOG=1"), null, TimeSpan.Zero, period);
        }
    }

    /// <summary>The service manager's watchdog timeout, or null when the unit has no WatchdogSec= (or it is for another PID).</summary>
    public TimeSpan? WatchdogInterval { get; }

    public void Status(ServiceStatus status) => Status(status.ToString());

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

    public void Dispose() => _watchdog?.Dispose();
}
