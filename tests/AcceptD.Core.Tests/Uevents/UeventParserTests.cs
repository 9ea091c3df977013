using System.Text;
using AcceptD.Core.Uevents;
using FsCheck.Xunit;

namespace AcceptD.Core.Tests.Uevents;

public class UeventParserTests
{
    private static byte[] Message(params string[] parts) => Encoding.UTF8.GetBytes(string.Join('\0', parts) + "\0");

    [Fact]
    public void Parses_a_kernel_pci_add_event()
    {
        var result = UeventParser.Parse(Message(
            "add@/devices/pci0000:00/0000:00:10.0/0000:01:00.0", "ACTION=add",
            "DEVPATH=/devices/pci0000:00/0000:00:10.0/0000:01:00.0", "SUBSYSTEM=pci",
            "MODALIAS=pci:v00001AF4d00001041sv00001AF4sd00001100bc02sc00i00", "PCI_SLOT_NAME=0000:01:00.0", "SEQNUM=2041"));
        var ev = Assert.IsType<Uevent>(result.Event);
        Assert.Equal("add", ev.Action);
        Assert.Equal("pci", ev.Subsystem);
        Assert.Equal(2041UL, ev.SeqNum);
        Assert.Equal("0000:01:00.0", ev.Get("PCI_SLOT_NAME"));
        Assert.StartsWith("pci:v00001AF4", ev.Modalias);
    }

    [Fact]
    public void Recognises_a_bus_registration()
    {
        var ev = UeventParser.Parse(Message("add@/bus/virtio", "ACTION=add", "DEVPATH=/bus/virtio", "SUBSYSTEM=bus", "SEQNUM=7")).Event!;
        Assert.True(ev.IsBusAdded);
        Assert.Equal("virtio", ev.BusName);
    }

    [Theory]
    [InlineData("", "empty message")]
    [InlineData("libudev\0xx", "udev-framed")]
    [InlineData("add@/devices/x", "no NUL-terminated header")]
    [InlineData("garbage\0ACTION=add\0", "not ACTION@DEVPATH")]
    [InlineData("add@/devices/x\0ACTION=add\0DEVPATH=/devices/x\0SUBSYSTEM=pci\0", "missing SEQNUM")]
    [InlineData("add@/devices/x\0ACTION=add\0DEVPATH=/devices/y\0SUBSYSTEM=pci\0SEQNUM=1\0", "disagrees")]
    [InlineData("add@/devices/../x\0ACTION=add\0DEVPATH=/devices/../x\0SUBSYSTEM=pci\0SEQNUM=1\0", "clean absolute path")]
    [InlineData("add@/devices/x\0ACTION=add\0DEVPATH=/devices/x\0SUBSYSTEM=pci\0SEQNUM=abc\0", "not a number")]
    [InlineData("add@/devices/x\0novalue\0", "has no KEY=")]
    public void Rejects_malformed_messages_with_a_reason(string raw, string expected)
    {
        var result = UeventParser.Parse(Encoding.UTF8.GetBytes(raw));
        Assert.Null(result.Event);
        Assert.Contains(expected, result.Error);
    }

    [Property]
    public bool Never_throws_on_arbitrary_bytes(byte[] bytes)
    {
        var result = UeventParser.Parse(bytes ?? []);
        return (result.Event is null) != (result.Error is null);
    }
}
