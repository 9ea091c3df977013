using AcceptD.Core.Devices;
using AcceptD.Core.Measurement;
using AcceptD.Core.Topology;

namespace AcceptD.Core.Tests.Measurement;

public sealed class MeasuredEventTests
{
    public static readonly TopologyEntry Nic = new("pci/0000:01:00.0", "/devices/pci0000:00/0000:01:00.0",
        new DeviceIds("8086", "10d3", "8086", "a01f", 0x020000, "00"), "e1000e", "sha384:ab");

    [Fact]
    public void EntryIsDomainOperationAndCanonicalContent()
    {
        var e = new MeasuredEvent(3, "b-1", "tpm2-pcr23", new TopologyEvent(TopologyEventKind.DeviceAccepted, "sha384:cd", Nic));

        Assert.Equal("org.acceptd device-accepted {\"boot_id\":\"b-1\",\"device\":{\"class\":\"020000\",\"driver\":\"e1000e\"," +
            "\"evidence_digest\":\"sha384:ab\",\"id\":\"8086:10d3\",\"name\":\"legacy-pcie:0000:01:00.0\"," +
            "\"path\":\"/devices/pci0000:00/0000:01:00.0\",\"revision\":\"00\",\"subsystem\":\"8086:a01f\"}," +
            "\"register\":\"tpm2-pcr23\",\"seq\":3,\"topology_digest\":\"sha384:cd\"}", e.Text);
    }

    [Fact]
    public void LockHasNoDeviceAndOtherBusesKeepTheirName()
    {
        var e = new MeasuredEvent(1, "b", "none", new TopologyEvent(TopologyEventKind.TopologyLocked, "sha384:00", null));

        Assert.Equal("org.acceptd topology-locked {\"boot_id\":\"b\",\"register\":\"none\",\"seq\":1,\"topology_digest\":\"sha384:00\"}", e.Text);
        Assert.Equal("virtio:virtio0", TopologyEvent.SubmoduleName(Nic with { Key = "virtio/virtio0" }));
    }

    [Theory]
    [InlineData("pcr", 17)]
    [InlineData("pcr", 22)]
    [InlineData("pcr", 24)]
    [InlineData("rtmr", 4)]
    public void RegistersThatCannotHoldTheLogAreRefused(string kind, int number) =>
        Assert.NotNull(new MeasuredRegister(kind, number).Refusal);

    [Theory]
    [InlineData("pcr", 16)]
    [InlineData("pcr", 23)]
    [InlineData("rtmr", 3)]
    public void UsableRegistersAreAccepted(string kind, int number) => Assert.Null(new MeasuredRegister(kind, number).Refusal);
}
