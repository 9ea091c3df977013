using AcceptD.Core.Devices;
using AcceptD.Core.State;
using AcceptD.Testing;

namespace AcceptD.Core.Tests.State;

public sealed class PreboundRecordTests
{
    [Fact]
    public void Lists_a_device_only_with_the_driver_it_was_bound_to()
    {
        var (record, problems) = PreboundRecord.Parse("# header\npci/0000:00:1f.0 lpc_ich\nserio/serio0 atkbd\npnp/00:00 i8042 kbd\n", "prebound");

        Assert.Empty(problems);
        Assert.True(record.Contains("pnp/00:00", "i8042 kbd"));
        Assert.True(record.Contains("pci/0000:00:1f.0", "lpc_ich"));
        Assert.False(record.Contains("pci/0000:00:1f.0", "e1000"));
        Assert.False(record.Contains("pci/0000:00:04.0", "e1000"));
    }

    [Theory]
    [InlineData("pci/0000:00:04.0")]
    [InlineData("pci/0000:00:04.0 e1000 ")]
    [InlineData("pci/0000:00:04.0  e1000")]
    [InlineData("0000:00:04.0 e1000")]
    [InlineData("pci/../x e1000")]
    [InlineData("pci/a/b e1000")]
    [InlineData("pci/0000:00:04.0 e1\u001b000")]
    public void A_malformed_line_is_reported_and_counts_as_not_prebound(string line)
    {
        var (record, problems) = PreboundRecord.Parse(line + "\n", "/run/acceptd/prebound");

        Assert.Equal("/run/acceptd/prebound:1: not \"bus/name driver\"; ignored", Assert.Single(problems));
        Assert.Equal(0, record.Count);
    }

    [Fact]
    public void A_device_listed_twice_does_not_count_at_all()
    {
        var (record, problems) = PreboundRecord.Parse("pci/0000:00:04.0 e1000\npci/0000:00:04.0 e1000e\npci/0000:00:04.0 e1000\n", "p");

        Assert.Equal(["p:2: pci/0000:00:04.0 listed twice; not counted as pre-bound"], problems);
        Assert.False(record.Contains("pci/0000:00:04.0", "e1000"));
    }

    [Fact]
    public void Written_text_reads_back_with_bound_devices_only()
    {
        var sysfs = new InMemoryFileView()
            .Directory("/sys/devices/pci0000:00/0000:00:04.0")
            .Directory("/sys/bus/pci/drivers/lpc_ich")
            .Link("/sys/devices/pci0000:00/0000:00:1f.0/driver", "/sys/bus/pci/drivers/lpc_ich")
            .Link("/sys/bus/pci/devices/0000:00:1f.0", "/sys/devices/pci0000:00/0000:00:1f.0")
            .Link("/sys/bus/pci/devices/0000:00:04.0", "/sys/devices/pci0000:00/0000:00:04.0");
        var text = PreboundRecord.FromSysfs(sysfs).ToText("test");

        Assert.Equal("# test\npci/0000:00:1f.0 lpc_ich\n", text);
        var (back, problems) = PreboundRecord.Parse(text, "p");
        Assert.Empty(problems);
        Assert.Equal(1, back.Count);
        Assert.True(back.Contains("pci/0000:00:1f.0", "lpc_ich"));
    }
}
