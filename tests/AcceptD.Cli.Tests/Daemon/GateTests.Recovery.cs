using AcceptD.Core.State;
using AcceptD.Daemon;
using AcceptD.Os.State;

namespace AcceptD.Cli.Tests.Daemon;

/// <summary>The gate when its state cannot be used or saved, and operator requests it cannot honour.</summary>
public sealed partial class GateTests
{
    [Fact]
    public void A_state_file_with_only_a_version_is_ignored_and_coldplug_starts_from_sysfs()
    {
        File.WriteAllText(Path.Combine(_state, StateStore.FileName), """{"version":1}""");
        var gate = NewGate();
        gate.Coldplug(100);
        Assert.Equal("virtio-pci", Driver("pci", "0000:00:03.0"));
        Assert.Equal(DeviceState.Denied, gate.Find("pci/0000:00:04.0")!.State);
        Assert.Contains(gate.Status.Warnings, w => w.EndsWith("state.json: no \"devices\" list; ignored: starting from what sysfs shows", StringComparison.Ordinal));
    }

    [Fact]
    public void A_damaged_module_index_is_answered_from_the_text_file_and_reported_in_the_status_and_the_log()
    {
        _tree.WriteModulesFile("modules.alias.bin", "not a kmod index");
        var gate = NewGate();
        gate.Coldplug(100);
        Assert.Equal("virtio-pci", Driver("pci", "0000:00:03.0"));
        var warning = Assert.Single(gate.Status.Warnings, w => w.StartsWith("modules.alias.bin:", StringComparison.Ordinal));
        Assert.Contains("module index: " + warning, _log.ToString());
    }

    [Fact]
    public void A_state_that_cannot_be_saved_is_reported_while_the_gate_keeps_enforcing()
    {
        Directory.CreateDirectory(Path.Combine(_state, StateStore.FileName)); // state.json is a directory: neither read nor replaced
        var gate = NewGate();
        gate.Coldplug(100);
        Assert.Equal("virtio-pci", Driver("pci", "0000:00:03.0"));
        Assert.Null(Driver("pci", "0000:00:04.0"));
        Assert.Equal("none", _tree.View.Read(_tree.DeviceDir("pci", "0000:00:04.0") + "/driver_override"));
        Assert.Contains(gate.Status.Warnings, w => w.StartsWith($"cannot save {_state}/state.json", StringComparison.Ordinal));
        Assert.Single(_log.ToString().Split('\n'), l => l.Contains("cannot save")); // reported once, not on every save
        gate.Rescan("test", eventsLost: false);
        Assert.Single(_log.ToString().Split('\n'), l => l.Contains("cannot save"));
    }

    [Fact]
    public void A_persistent_accept_is_refused_when_the_daemon_does_not_read_the_operator_directory()
    {
        var gate = NewGate();
        gate.Coldplug(100);
        var operatorFile = Path.Combine(OperatorDecisions.StandardPersistentDirectory, OperatorRules.FileName);
        var existed = File.Exists(operatorFile);
        var result = gate.Accept("pci/0000:00:04.0", persistent: true);
        Assert.False(result.Ok);
        Assert.Contains("this daemon does not read /etc/acceptd/rules.d", result.Message);
        Assert.Equal(existed, File.Exists(operatorFile));
        Assert.Equal(DeviceState.Denied, gate.Find("pci/0000:00:04.0")!.State);
        Assert.True(gate.Accept("pci/0000:00:04.0", persistent: false).Ok); // one-time decisions go where it reads
    }
}
