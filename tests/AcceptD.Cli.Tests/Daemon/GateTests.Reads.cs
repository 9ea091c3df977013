using AcceptD.Core.State;
using AcceptD.Testing;

namespace AcceptD.Cli.Tests.Daemon;

public sealed partial class GateTests
{
    [Fact]
    public async Task Status_and_device_reads_are_answered_while_a_bind_is_in_progress()
    {
        var cancel = TestContext.Current.CancellationToken;
        var slow = new SlowBind(_kernel);
        var gate = NewGate(writer: slow);
        var coldplug = Task.Run(() => gate.Coldplug(100), cancel);
        Assert.True(slow.Entered.Wait(TimeSpan.FromSeconds(30), cancel), "coldplug never reached a bind");

        // The bind is blocked until released: these reads can only complete if they do not wait for it.
        var reads = Task.Run(() => (gate.Status, gate.Devices(), gate.Find("pci/0000:00:04.0"), gate.TopologyJson()), cancel);
        var answered = await Task.WhenAny(reads, Task.Delay(TimeSpan.FromSeconds(30), cancel)) == reads;
        var boundDuringBind = answered ? (await reads).Status.Counts.GetValueOrDefault(DeviceState.Bound) : -1;
        slow.Release.Set();
        await coldplug;

        Assert.True(answered, "a read waited for the bind in progress");
        Assert.Equal(0, boundDuringBind); // the snapshot before the bind: consistent, not half of a change
        Assert.Equal(DeviceState.Bound, gate.Find("pci/0000:00:03.0")!.State);
    }
}
