using AcceptD.Core.State;
using AcceptD.Os.State;

namespace AcceptD.Cli.Tests.Daemon;

/// <summary>Restarts after a crash: only the early shim's record makes a binding "pre-bound", and state.json is checked.</summary>
public sealed partial class GateTests
{
    private void ShimRecord(string lines) => File.WriteAllText(Path.Combine(_state, PreboundRecord.FileName), "# acceptd-early-init\n" + lines);

    private void KernelSeqNum(ulong seq) => _tree.WriteFile("/sys/kernel/uevent_seqnum", seq + "\n");

    private void BindBehindTheDaemonsBack()
    {
        _tree.AddDriver("pci", "e1000", "e1000");
        _tree.Bind("pci", "0000:00:04.0", "e1000");
    }

    [Fact]
    public void A_denied_device_a_driver_grabbed_while_no_daemon_ran_is_a_violation_and_unbound()
    {
        ShimRecord(""); // the shim found nothing bound
        new StateStore(_state).Save(PersistedState.Empty("enforce")); // a predecessor died before deciding 00:04.0
        BindBehindTheDaemonsBack();

        NewGate().Coldplug(100);

        Assert.Null(Driver("pci", "0000:00:04.0"));
        var record = new StateStore(_state).Load(out _)!.Devices.Single(d => d.Key == "pci/0000:00:04.0");
        Assert.Equal((DeviceState.Violation, false), (record.State, record.BoundBeforeStart));
    }

    [Fact]
    public void A_device_the_shim_found_bound_is_reported_and_left_bound()
    {
        ShimRecord("pci/0000:00:04.0 e1000\n");
        BindBehindTheDaemonsBack();

        NewGate().Coldplug(100);

        Assert.Equal("e1000", Driver("pci", "0000:00:04.0"));
        var record = new StateStore(_state).Load(out _)!.Devices.Single(d => d.Key == "pci/0000:00:04.0");
        Assert.Equal((DeviceState.Reported, true), (record.State, record.BoundBeforeStart));
    }

    [Fact]
    public void A_device_the_shim_found_bound_but_the_daemon_saw_unbound_is_a_violation_when_bound_again()
    {
        ShimRecord("pci/0000:00:04.0 e1000\n"); // bound when the shim ran, unbound again before the daemon decided it
        NewGate().Coldplug(100);
        BindBehindTheDaemonsBack(); // the driver the record names: still not a binding from before the start

        NewGate().Coldplug(100);

        Assert.Null(Driver("pci", "0000:00:04.0"));
        var record = new StateStore(_state).Load(out _)!.Devices.Single(d => d.Key == "pci/0000:00:04.0");
        Assert.Equal((DeviceState.Violation, false), (record.State, record.BoundBeforeStart));
    }

    [Fact]
    public void An_unusable_state_file_does_not_make_what_is_bound_now_pre_bound()
    {
        File.WriteAllText(Path.Combine(_state, StateStore.FileName), "{ corrupt");
        BindBehindTheDaemonsBack(); // bound while no daemon ran: a crashed predecessor's state is no first start

        NewGate().Coldplug(100);

        Assert.Null(Driver("pci", "0000:00:04.0"));
        Assert.False(File.Exists(Path.Combine(_state, PreboundRecord.FileName)));
    }

    [Fact]
    public void Without_the_shim_the_first_instance_records_what_is_bound_and_a_restart_keeps_to_it()
    {
        BindBehindTheDaemonsBack();
        NewGate().Coldplug(100);
        Assert.Equal("pci/0000:00:04.0 e1000", File.ReadAllLines(Path.Combine(_state, PreboundRecord.FileName))[1]);
        _tree.Unbind("pci", "0000:00:04.0");
        _tree.AddDriver("pci", "e1000e", "e1000e");
        _tree.Bind("pci", "0000:00:04.0", "e1000e"); // rebound by someone else: not what the record says

        NewGate().Coldplug(100);

        Assert.Null(Driver("pci", "0000:00:04.0"));
        Assert.Equal(DeviceState.Violation, new StateStore(_state).Load(out _)!.Devices.Single(d => d.Key == "pci/0000:00:04.0").State);
    }

    [Fact]
    public void A_forged_prebound_flag_is_discarded_with_a_warning()
    {
        ShimRecord("");
        NewGate().Coldplug(100);
        var store = new StateStore(_state);
        var saved = store.Load(out _)!;
        store.Save(saved with
        {
            Devices = [.. saved.Devices.Select(d => d.Key == "pci/0000:00:04.0" ? d with { BoundBeforeStart = true, Driver = "e1000", State = DeviceState.Reported } : d)],
        });
        BindBehindTheDaemonsBack();

        NewGate().Coldplug(100);

        Assert.Null(Driver("pci", "0000:00:04.0"));
        Assert.Contains("pci/0000:00:04.0 is marked bound before start, but the prebound record does not list it", _log.ToString());
    }

    [Fact]
    public void A_forged_last_seqnum_is_discarded_so_a_later_hot_add_is_still_judged()
    {
        KernelSeqNum(100);
        NewGate().Coldplug(100);
        var store = new StateStore(_state);
        store.Save(store.Load(out _)! with { LastSeqNum = ulong.MaxValue });

        var gate = NewGate();
        gate.Coldplug(100);
        _kernel.Load("e1000", "kernel/e1000.ko", null);
        var path = _tree.AddPciDevice("0000:02:00.0", "0x8086", "0x100e", "0x020000", driver: "e1000", parentPath: "/devices/pci0000:00/0000:00:11.0");
        gate.Handle(Event("add", path, "pci", 101));

        Assert.Null(Driver("pci", "0000:02:00.0"));
        Assert.Contains($"lastSeqNum {ulong.MaxValue} is above the kernel's uevent_seqnum 100; discarded", _log.ToString());
    }

    [Fact]
    public void Each_outcome_is_on_disk_before_the_next_device_is_touched()
    {
        DeviceRecord? transportWhenChildBound = null;
        var bindTransport = _kernel.OnBind!;
        _kernel.OnBind = (bus, name, driver) =>
        {
            bindTransport(bus, name, driver);
            if (driver == "virtio_net")
                transportWhenChildBound = new StateStore(_state).Load(out _)!.Devices.SingleOrDefault(d => d.Key == "pci/0000:00:03.0");
        };

        NewGate().Coldplug(100);

        Assert.Equal(DeviceState.Bound, transportWhenChildBound?.State);
    }

    [Fact]
    public void An_event_that_changes_nothing_costs_no_write_and_a_dropped_one_is_counted()
    {
        var gate = NewGate();
        gate.Coldplug(100);
        var file = Path.Combine(_state, StateStore.FileName);
        File.Delete(file);

        gate.Handle(Event("add", _tree.DeviceDir("virtio", "virtio0")[4..], "virtio", 101));
        gate.Flush();
        Assert.False(File.Exists(file));

        gate.Handle(Event("add", "/devices/pci0000:00/0000:00:09.0", "pci", 102));
        gate.Dropped(UeventCounter.SenderNotKernel);
        gate.Flush();
        var counters = new StateStore(_state).Load(out _)!.UeventCounters!;
        Assert.Equal((1UL, 1UL), (counters["not-in-sysfs"], counters["sender-not-kernel"]));
    }

    [Fact]
    public void A_state_file_that_cannot_be_written_does_not_stop_the_start()
    {
        Directory.CreateDirectory(Path.Combine(_state, StateStore.FileName, "in-the-way"));

        NewGate();

        Assert.Contains("cannot save", _log.ToString());
    }

    [Fact]
    public void Decisions_of_an_instance_without_a_journal_are_written_to_the_journal_once_by_the_next_instance_that_has_one()
    {
        NewGate(logsToJournal: false).Coldplug(100); // the initramfs-tools initrd: its log is a file
        Assert.Contains("\"decisionsInJournal\": false", File.ReadAllText(Path.Combine(_state, "state.json")));

        var start = _log.ToString().Length;
        NewGate(logsToJournal: true); // acceptd.service after switch-root
        var carried = _log.ToString()[start..];
        Assert.Contains("pci/0000:00:04.0: deny by", carried);
        Assert.Contains("-> denied, decided by an earlier instance that had no journal", carried);
        Assert.Contains("\"decisionsInJournal\": true", File.ReadAllText(Path.Combine(_state, "state.json")));

        start = _log.ToString().Length;
        NewGate(logsToJournal: true); // a restart: nothing carried over twice
        Assert.DoesNotContain("had no journal", _log.ToString()[start..]);
    }
}
