using AcceptD.Core.State;
using AcceptD.Os.Native;
using AcceptD.Os.Sysfs;

namespace AcceptD.Cli.Tests.Daemon;

/// <summary>
/// The errno of a refused bind write, mapped to the device's record (PlanExecutor.DoBind, DriverBinder.Bind). The real
/// kernel's answers are checked in QEMU (tests/vm/scenarios/21-bind-errors); these pin the messages and states.
/// </summary>
public sealed partial class GateTests
{
    /// <summary>Passes writes on to the kernel, except that the bind of one device fails with an errno.</summary>
    private sealed class RefusedBind(ISysfsWriter kernel, string device, int errno, Action? before = null) : ISysfsWriter
    {
        public int Attempts { get; private set; }

        public void Write(string path, string value)
        {
            if (value == device && (path.EndsWith("/bind", StringComparison.Ordinal) || path.EndsWith("/drivers_probe", StringComparison.Ordinal)))
            {
                Attempts++;
                before?.Invoke();
                throw new SysfsWriteException(path, errno, "refused by the test");
            }
            kernel.Write(path, value);
        }
    }

    [Fact]
    public void A_probe_that_finds_its_device_busy_is_a_failed_probe_not_a_device_bound_elsewhere()
    {
        var refused = new RefusedBind(_kernel, "0000:00:03.0", Errno.EBUSY);
        var gate = NewGate(writer: refused);
        gate.Coldplug(seqAtStart: 100);

        var record = gate.Find("pci/0000:00:03.0")!;
        Assert.Equal(DeviceState.Failed, record.State);
        Assert.Null(record.Driver);
        Assert.Equal("virtio-pci failed to probe 0000:00:03.0: the driver found it busy (EBUSY); no driver is bound", record.Error);
        Assert.Equal(1, refused.Attempts);
    }

    [Fact]
    public void EBUSY_for_a_device_another_driver_took_names_that_driver()
    {
        var refused = new RefusedBind(_kernel, "0000:00:03.0", Errno.EBUSY, () => _tree.Bind("pci", "0000:00:03.0", "vfio-pci"));
        var gate = NewGate(writer: refused);
        gate.Coldplug(seqAtStart: 100);

        var record = gate.Find("pci/0000:00:03.0")!;
        Assert.Equal(DeviceState.Failed, record.State);
        Assert.Equal("bind refused: 0000:00:03.0 is already bound to vfio-pci", record.Error);
    }

    [Fact]
    public void A_deferred_probe_is_tried_four_times_then_pending()
    {
        var refused = new RefusedBind(_kernel, "0000:00:03.0", Errno.EAGAIN);
        var gate = NewGate(writer: refused);
        gate.Coldplug(seqAtStart: 100);

        var record = gate.Find("pci/0000:00:03.0")!;
        Assert.Equal(DeviceState.Pending, record.State);
        Assert.Equal("probe deferred: virtio-pci deferred its probe of 0000:00:03.0", record.Error);
        Assert.Equal(4, refused.Attempts);
        Assert.True(gate.HasPending);
    }

    [Fact]
    public void ENODEV_is_failed_as_gone_or_not_matching()
    {
        var gate = NewGate(writer: new RefusedBind(_kernel, "0000:00:03.0", Errno.ENODEV));
        gate.Coldplug(seqAtStart: 100);

        var record = gate.Find("pci/0000:00:03.0")!;
        Assert.Equal(DeviceState.Failed, record.State);
        Assert.Equal("bind refused: 0000:00:03.0 is gone or virtio-pci does not match it", record.Error);
    }

    [Fact]
    public void A_failed_bind_is_not_tried_again_on_every_rescan_but_after_a_policy_reload()
    {
        var refused = new RefusedBind(_kernel, "0000:00:03.0", Errno.ENODEV);
        var gate = NewGate(writer: refused);
        gate.Coldplug(seqAtStart: 100);
        Assert.Equal(1, refused.Attempts);

        gate.Rescan("pending devices", eventsLost: false);
        gate.Rescan("pending devices", eventsLost: false);
        Assert.Equal(1, refused.Attempts);
        Assert.Equal(DeviceState.Failed, gate.Find("pci/0000:00:03.0")!.State);

        Assert.True(gate.ReloadPolicy().Ok);
        Assert.Equal(2, refused.Attempts);
    }
}
