using System.Text;
using AcceptD.Os.Systemd;
using Microsoft.Extensions.Hosting.Systemd;

namespace AcceptD.Os.Tests.Systemd;

/// <summary>The real SystemdNotifier of Microsoft.Extensions.Hosting.Systemd, talking to a fake PID 1 notify socket.</summary>
public sealed class ServiceNotifierTests : IDisposable
{
    private readonly FakeDatagramEndpoint _pid1 = new();
    private readonly SystemdNotifier _notifier;

    public ServiceNotifierTests()
    {
        // SystemdNotifier reads NOTIFY_SOCKET once, in its constructor; no other test class touches it.
        var previous = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        Environment.SetEnvironmentVariable("NOTIFY_SOCKET", _pid1.Path);
        _notifier = new SystemdNotifier();
        Environment.SetEnvironmentVariable("NOTIFY_SOCKET", previous);
    }

    private string Next() => Encoding.UTF8.GetString(_pid1.Receive().Data);

    private static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Status_sends_the_counts_on_one_line()
    {
        var service = new ServiceNotifier(_notifier, Env());
        service.Status(new ServiceStatus("enforce", Devices: 12, Bound: 8, Denied: 3, Pending: 1, Failed: 0, Measurement: "tpm: tpm2-pcr23 via /dev/tpmrm0"));
        service.Status("line one\nline two");

        Assert.Equal("STATUS=enforce: 12 devices, 8 bound, 3 denied, 1 pending, 0 failed; measurement tpm: tpm2-pcr23 via /dev/tpmrm0", Next());
        Assert.Equal("STATUS=line one line two", Next());
    }

    [Fact]
    public void A_burst_of_status_changes_sends_the_first_at_once_and_the_newest_when_due()
    {
        var clock = new ManualClock();
        var service = new ServiceNotifier(_notifier, Env(), clock);
        var bound = 0;
        ServiceStatus Current() => new("enforce", Devices: 100, Bound: bound, Denied: 0, Pending: 0, Failed: 0, Measurement: "none");

        for (bound = 1; bound <= 50; bound++) service.StatusChanged(Current);
        Assert.StartsWith("STATUS=enforce: 100 devices, 1 bound", Next());
        service.FlushStatus(); // not due yet: the burst's other 49 changes wait
        Assert.False(_pid1.HasPending(TimeSpan.FromMilliseconds(100)));

        clock.Now += ServiceNotifier.StatusInterval;
        bound = 100;
        service.FlushStatus();
        Assert.StartsWith("STATUS=enforce: 100 devices, 100 bound", Next());
        service.FlushStatus(); // nothing changed since
        Assert.False(_pid1.HasPending(TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public void ExtendTimeout_sends_microseconds()
    {
        var service = new ServiceNotifier(_notifier, Env());
        service.ExtendTimeout(TimeSpan.FromSeconds(30));

        Assert.Equal("EXTEND_TIMEOUT_USEC=30000000", Next());
    }

    /// <summary>A clock the test moves by hand.</summary>
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UnixEpoch;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void The_watchdog_is_pinged_only_when_the_loop_reports_progress_at_most_every_half_interval()
    {
        var clock = new ManualClock();
        var service = new ServiceNotifier(_notifier, Env(("WATCHDOG_USEC", "400000")), clock);
        Assert.Equal(TimeSpan.FromMilliseconds(400), service.WatchdogInterval);

        clock.Now += TimeSpan.FromSeconds(5); // no progress reported: no ping, however long it takes
        Assert.False(_pid1.HasPending(TimeSpan.FromMilliseconds(100)));
        service.Alive();
        Assert.Equal("WATCHDOG=1", Next());
        clock.Now += TimeSpan.FromMilliseconds(100);
        service.Alive(); // too soon after the last ping
        Assert.False(_pid1.HasPending(TimeSpan.FromMilliseconds(100)));
        clock.Now += TimeSpan.FromMilliseconds(100);
        service.Alive();
        Assert.Equal("WATCHDOG=1", Next());
    }

    [Fact]
    public void No_watchdog_when_it_is_meant_for_another_process()
    {
        var service = new ServiceNotifier(_notifier, Env(("WATCHDOG_USEC", "100000"), ("WATCHDOG_PID", "1")));

        Assert.Null(service.WatchdogInterval);
        service.Alive();
        Assert.False(_pid1.HasPending(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public void Nothing_is_sent_without_a_notify_socket()
    {
        var notifier = new SystemdNotifier();
        Assert.False(notifier.IsEnabled);
        var service = new ServiceNotifier(notifier, Env(("WATCHDOG_USEC", "100000")));

        Assert.Null(service.WatchdogInterval);
        service.Status("x");
    }

    public void Dispose() => _pid1.Dispose();
}
