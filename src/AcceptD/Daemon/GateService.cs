using AcceptD.Core.Devices;
using AcceptD.Core.State;
using AcceptD.Os.Netlink;
using AcceptD.Os.Systemd;
using Microsoft.Extensions.Hosting;
using Serilog;

namespace AcceptD.Daemon;

/// <summary>
/// Runs the gate under the host: coldplug inside StartAsync (so the host reports READY=1 only when every present
/// device is decided), then one thread that reads uevents and hands them to the gate.
/// Coldplug without races: SEQNUM is read, the socket opened, then sysfs scanned; older events are skipped.
/// </summary>
public sealed class GateService(Gate gate, IFileView files, bool listen, ServiceNotifier notifier, ILogger log, Func<IDisposable?> startBus)
    : IHostedService
{
    private const int DefaultReceiveBuffer = 128 * 1024 * 1024; // as udevd asks
    private static readonly TimeSpan PendingRetry = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ColdplugAllowance = TimeSpan.FromSeconds(120);
    private readonly CancellationTokenSource _stop = new();
    private UeventSocket? _socket;
    private Thread? _loop;
    private IDisposable? _bus;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var seqAtStart = ulong.TryParse(files.Read(SysfsLayout.UeventSeqnum), out var seq) ? seq : 0;
        _socket = listen ? OpenSocket() : null;
        notifier.ExtendTimeout(ColdplugAllowance); // module loads and probes under emulation can be slow
        gate.Coldplug(seqAtStart);
        notifier.Alive();
        ReleaseScanGarbage();
        notifier.StatusChanged(CurrentStatus);
        gate.DeviceChanged += _ => notifier.StatusChanged(CurrentStatus);
        _bus = startBus();
        if (_socket is not null)
        {
            _loop = new Thread(Loop) { Name = "uevents", IsBackground = true };
            _loop.Start();
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stop.Cancel();
        _loop?.Join(TimeSpan.FromSeconds(2));
        _socket?.Dispose();
        _bus?.Dispose();
        return Task.CompletedTask;
    }

    private UeventSocket? OpenSocket()
    {
        try
        {
            return new UeventSocket(DefaultReceiveBuffer);
        }
        catch (IOException e)
        {
            log.Error("cannot listen for uevents ({Error}); devices that appear later are decided only on rescans", e.Message);
            return null;
        }
    }

    private void Loop()
    {
        var lastRetry = DateTime.UtcNow;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var received = _socket!.Receive(timeoutMs: 500);
                switch (received.Kind)
                {
                    case ReceiveKind.Event:
                        gate.Handle(received.Event!);
                        break;
                    case ReceiveKind.Overflow:
                        gate.Rescan($"{received.Why}; {_socket.DiscardQueued()} queued uevents dropped unread", eventsLost: true);
                        ReleaseScanGarbage();
                        break;
                    case ReceiveKind.Dropped:
                        log.Warning("dropped uevent: {Why}", received.Why);
                        gate.Dropped(received.Drop!.Value);
                        break;
                    case ReceiveKind.Timeout:
                        gate.Flush();
                        break;
                }
                if (DateTime.UtcNow - lastRetry > PendingRetry && gate.HasPending)
                {
                    lastRetry = DateTime.UtcNow;
                    gate.Rescan("retrying devices whose probe was deferred", eventsLost: false);
                    ReleaseScanGarbage();
                }
                notifier.FlushStatus();
                // Every turn has gone through the gate's worker (an event, or Flush when idle), so a change stuck in a
                // bind (one started over D-Bus too) stops this loop and with it the pings: systemd restarts the daemon.
                notifier.Alive();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Fail closed is kept by the kernel state (autoprobe off, unapproved devices unbound); keep listening.
                log.Error(e, "error while handling uevents");
            }
        }
    }

    /// <summary>
    /// A full scan reads and judges the whole tree, and what stays of it is small. The gen0 budget follows the L3
    /// cache (tens of MB), so without this the daemon would keep each scan's garbage resident until the budget fills.
    /// </summary>
    private static void ReleaseScanGarbage() =>
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    private ServiceStatus CurrentStatus()
    {
        var status = gate.Status;
        int Count(params DeviceState[] states) => states.Sum(s => status.Counts.GetValueOrDefault(s));
        return new ServiceStatus(status.Mode + (status.DryRun ? " (dry-run)" : ""), status.Counts.Values.Sum(),
            Count(DeviceState.Bound), Count(DeviceState.Denied, DeviceState.Reported), Count(DeviceState.Pending, DeviceState.Decided),
            Count(DeviceState.Failed, DeviceState.Violation), status.Measurement, status.Warnings.Count, status.Warnings.FirstOrDefault());
    }
}
