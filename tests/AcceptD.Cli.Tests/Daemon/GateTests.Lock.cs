using AcceptD.Core.State;
using AcceptD.Daemon;
using AcceptD.Os.Measurement;

namespace AcceptD.Cli.Tests.Daemon;

/// <summary>
/// After `acceptd lock` the set of bound devices can only shrink, whatever route would bind one: a reload, a changed
/// policy, an operator accept, a hot-add, a restart. A device that comes back is checked against its locked record.
/// </summary>
public sealed partial class GateTests
{
    private const string Denied = "0000:00:04.0", Transport = "0000:00:03.0";

    private Gate LockedGate()
    {
        var gate = NewGate();
        gate.Coldplug(100);
        Assert.True(gate.LockTopology().Ok);
        return gate;
    }

    private void AllowEverything() =>
        File.WriteAllText(Path.Combine(_policy, "50-test.rules"), Rules.Replace("default deny", "default allow", StringComparison.Ordinal));

    private void AssertRefusedByTheLock(Gate gate, string name)
    {
        Assert.Null(Driver("pci", name));
        var record = gate.Find("pci/" + name)!;
        Assert.True(record.State is DeviceState.Denied or DeviceState.Violation, record.State + " " + record.Reason);
    }

    /// <summary>Hot-unplug of the bound virtio transport (and its child), then a hot-add at the same path.</summary>
    private void RemoveAndAddTheTransport(Gate gate, string subDevice)
    {
        var path = _tree.DeviceDir("pci", Transport)[4..];
        File.Delete(_tree.Root + "/sys/bus/virtio/devices/virtio0");
        _tree.Remove("pci", Transport);
        gate.Handle(Event("remove", path, "pci", 101));
        _tree.AddPciDevice(Transport, "0x1af4", "0x1000", "0x020000", subDevice: subDevice);
        gate.Handle(Event("add", path, "pci", 102));
    }

    [Fact]
    public void After_the_lock_a_reload_of_a_policy_that_allows_a_denied_device_binds_nothing()
    {
        var gate = LockedGate();
        AllowEverything();
        Assert.True(gate.ReloadPolicy().Ok);
        AssertRefusedByTheLock(gate, Denied);
        Assert.DoesNotContain("e1000", _kernel.Loads);
    }

    [Fact]
    public void After_the_lock_an_operator_accept_binds_nothing()
    {
        var gate = LockedGate();
        gate.Accept("pci/" + Denied, persistent: false);
        AssertRefusedByTheLock(gate, Denied);
    }

    [Fact]
    public void After_the_lock_a_restart_with_a_changed_policy_binds_nothing()
    {
        LockedGate().Dispose();
        AllowEverything();
        var again = NewGate();
        again.Coldplug(100);
        AssertRefusedByTheLock(again, Denied);
    }

    [Fact]
    public void After_the_lock_a_device_that_comes_back_with_other_ids_is_a_violation()
    {
        var gate = LockedGate();
        RemoveAndAddTheTransport(gate, subDevice: "0x0002"); // the policy allows it; the lock knew subsystem 0001

        AssertRefusedByTheLock(gate, Transport);
        var record = gate.Find("pci/" + Transport)!;
        Assert.True(record.State == DeviceState.Violation, record.Reason + "\n" + _log);
        Assert.Contains("changed identity", record.Reason);
    }

    [Fact]
    public void After_the_lock_a_device_that_comes_back_unchanged_is_bound_again()
    {
        var gate = LockedGate();
        RemoveAndAddTheTransport(gate, subDevice: "0x0001");

        Assert.Equal("virtio-pci", Driver("pci", Transport));
    }

    [Fact]
    public void Once_the_topology_is_locked_a_new_device_is_denied_even_if_the_policy_allows_it()
    {
        var gate = NewGate();
        gate.Coldplug(100);
        var violations = new List<DeviceRecord>();
        gate.TopologyViolation += violations.Add;
        var digest = gate.Status.TopologyDigest;
        Assert.True(gate.LockTopology().Ok);
        var path = _tree.AddPciDevice("0000:01:00.0", "0x1af4", "0x1000", "0x020000", parentPath: "/devices/pci0000:00/0000:00:10.0");
        gate.Handle(Event("add", path, "pci", 101));
        Assert.Null(Driver("pci", "0000:01:00.0"));
        Assert.Equal("pci/0000:01:00.0", Assert.Single(violations).Key);
        Assert.Contains("topology is locked", gate.Find("pci/0000:01:00.0")!.Reason);
        Assert.Equal(digest, gate.Status.TopologyDigest);
        Assert.True(NewGate().Status.TopologyLocked); // survives a restart

        var log = MeasurementSetup.AcceptdEntries(Path.Combine(_state, "eventlog"));
        Assert.Equal(["device-accepted", "device-accepted", "topology-locked", "violation"], log.Select(l => l.Split(' ')[1])); // transport, its virtio child
        Assert.Contains($"\"register\":\"none\",\"seq\":3,\"topology_digest\":\"{digest}\"", log[2]);
        Assert.Contains("\"locked\": true", gate.TopologyJson());
    }
}
