using System.Collections.Immutable;
using AcceptD.Core.Devices;
using AcceptD.Core.State;
using AcceptD.Os.State;

namespace AcceptD.Os.Tests.State;

public sealed class PersistedStateValidatorTests
{
    private static readonly PreboundRecord Shim = PreboundRecord.Parse("pci/0000:00:1f.0 lpc_ich\n", "prebound").Record;

    private static DeviceRecord Record(string key, string? driver, bool boundBeforeStart) =>
        new(key, "pci", key[4..], "/devices/pci0000:00/" + key[4..], null, DeviceIds.None, driver, DeviceState.Reported, "deny",
            "x.rules:1", "test", null, boundBeforeStart, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

    private static PersistedState State(ulong seq, params DeviceRecord[] devices) =>
        PersistedState.Empty("enforce") with { LastSeqNum = seq, Devices = [.. devices], ColdplugComplete = true };

    [Fact]
    public void A_state_the_kernel_and_the_record_confirm_is_kept_but_coldplug_starts_over()
    {
        var saved = State(500, Record("pci/0000:00:1f.0", "lpc_ich", boundBeforeStart: true));

        var (state, warnings) = PersistedStateValidator.Validate(saved, Shim, kernelSeqNum: 500);

        Assert.Empty(warnings);
        Assert.Equal(500UL, state.LastSeqNum);
        Assert.True(state.Devices.Single().BoundBeforeStart);
        Assert.False(state.ColdplugComplete);
    }

    [Theory]
    [InlineData(501UL)]
    [InlineData(ulong.MaxValue)]
    public void A_seqnum_above_the_kernels_is_discarded(ulong forged)
    {
        var (state, warnings) = PersistedStateValidator.Validate(State(forged), Shim, kernelSeqNum: 500);

        Assert.Equal(0UL, state.LastSeqNum);
        Assert.Equal($"state: lastSeqNum {forged} is above the kernel's uevent_seqnum 500; discarded", Assert.Single(warnings));
    }

    [Theory]
    [InlineData("pci/0000:00:04.0", "e1000")]   // not in the record at all
    [InlineData("pci/0000:00:1f.0", "e1000")]   // in the record, but with another driver
    [InlineData("pci/0000:00:1f.0", null)]      // no driver to back it
    public void A_prebound_flag_the_record_does_not_back_is_discarded(string key, string? driver)
    {
        var saved = State(1, Record(key, driver, boundBeforeStart: true), Record("pci/0000:00:05.0", "e1000e", boundBeforeStart: false));

        var (state, warnings) = PersistedStateValidator.Validate(saved, Shim, kernelSeqNum: 500);

        Assert.All(state.Devices, d => Assert.False(d.BoundBeforeStart));
        Assert.StartsWith($"state: {key} is marked bound before start, but the prebound record does not list it", Assert.Single(warnings));
    }

    [Fact]
    public void Without_a_record_no_flag_survives()
    {
        var saved = State(1, Record("pci/0000:00:1f.0", "lpc_ich", boundBeforeStart: true));

        var (state, warnings) = PersistedStateValidator.Validate(saved, PreboundRecord.Empty, kernelSeqNum: 500);

        Assert.False(state.Devices.Single().BoundBeforeStart);
        Assert.Single(warnings);
    }
}
