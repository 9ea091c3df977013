using System.Net.Sockets;
using System.Text;
using AcceptD.Daemon;
using AcceptD.Os.Systemd;
using AcceptD.Testing;
using Microsoft.Extensions.Hosting.Systemd;

namespace AcceptD.Cli.Tests.Daemon;

/// <summary>
/// The watchdog sees a hang: the event loop pings only when the gate's worker answers, so a bind that never returns
/// stops WATCHDOG=1 (and systemd restarts the daemon), and the pings come back once it returns.
/// </summary>
public sealed partial class GateTests
{
    [Fact]
    public async Task A_bind_that_hangs_stops_the_watchdog_pings_until_it_returns()
    {
        var stuck = new SlowBind(_kernel, "0000:00:04.0");
        var gate = NewGate(writer: stuck);
        using var pid1 = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        var socketPath = Path.Combine(_state, "notify");
        pid1.Bind(new UnixDomainSocketEndPoint(socketPath));
        var notifier = new ServiceNotifier(new NotifierAt(socketPath), name => name == "WATCHDOG_USEC" ? "200000" : null);
        var service = new GateService(gate, _tree.View, listen: true, notifier, LoggingSetup.Create(useJournal: false, stderr: _log), () => null);
        await service.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            Assert.True(PingWithin(pid1, TimeSpan.FromSeconds(3)), "no WATCHDOG=1 while the loop runs");

            var accept = Task.Run(() => gate.Accept("pci/0000:00:04.0", persistent: false), TestContext.Current.CancellationToken);
            Assert.True(stuck.Entered.Wait(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken), "the bind was not reached");
            PingWithin(pid1, TimeSpan.FromMilliseconds(700)); // a ping already on its way may still come
            while (pid1.Available > 0) pid1.Receive(new byte[4096]);
            Assert.False(PingWithin(pid1, TimeSpan.FromSeconds(2)), "WATCHDOG=1 while the worker was stuck in a bind");

            stuck.Release.Set();
            await accept;
            Assert.True(PingWithin(pid1, TimeSpan.FromSeconds(3)), "no WATCHDOG=1 after the bind returned");
        }
        finally
        {
            stuck.Release.Set();
            await service.StopAsync(TestContext.Current.CancellationToken);
            gate.Dispose();
        }
    }

    /// <summary>Whether a WATCHDOG=1 datagram arrives within the time (other notifications, STATUS= and such, are skipped).</summary>
    private static bool PingWithin(Socket pid1, TimeSpan wait)
    {
        var until = DateTime.UtcNow + wait;
        var buffer = new byte[4096];
        for (var left = wait; left > TimeSpan.Zero; left = until - DateTime.UtcNow)
        {
            if (!pid1.Poll(left, SelectMode.SelectRead)) return false;
            if (Encoding.UTF8.GetString(buffer, 0, pid1.Receive(buffer)).Split('\n').Contains("WATCHDOG=1")) return true;
        }
        return false;
    }

    /// <summary>The host's SystemdNotifier, pointed at the test's socket (it reads NOTIFY_SOCKET once, when made).</summary>
    private sealed class NotifierAt(string path) : ISystemdNotifier
    {
        private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);

        public bool IsEnabled => true;

        public void Notify(ServiceState state) => _socket.SendTo(Encoding.UTF8.GetBytes(state.ToString()), new UnixDomainSocketEndPoint(path));
    }
}
