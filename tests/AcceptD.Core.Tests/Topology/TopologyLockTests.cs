using AcceptD.Core.Devices;
using AcceptD.Core.Topology;

namespace AcceptD.Core.Tests.Topology;

public sealed class TopologyLockTests
{
    private static readonly TopologyEntry Accel = new("pci/0000:01:00.0", "/devices/pci0000:00/0000:01:00.0",
        new DeviceIds("8086", "ffff"), "devsec_pci", "sha384:aa");
    private static readonly TopologyLock Lock = new(new TopologyRecord([Accel]), new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Admits_the_locked_device_even_unbound() => Assert.Null(Lock.Check(Accel with { Driver = null }));

    [Theory]
    [InlineData("new", "pci/0000:02:00.0 is not in the topology locked at 2026-11-23T10:00:00.0000000+00:00")]
    [InlineData("moved", "pci/0000:01:00.0 moved from /devices/pci0000:00/0000:01:00.0 to /elsewhere")]
    [InlineData("ids", "pci/0000:01:00.0 changed identity from 8086:ffff to 8086:0001")]
    [InlineData("evidence", "pci/0000:01:00.0 evidence changed from sha384:aa to sha384:bb")]
    public void ReportsViolations(string change, string expected)
    {
        var candidate = change switch
        {
            "new" => Accel with { Key = "pci/0000:02:00.0" },
            "moved" => Accel with { Path = "/elsewhere" },
            "ids" => Accel with { Ids = new DeviceIds("8086", "0001") },
            _ => Accel with { EvidenceDigest = "sha384:bb" },
        };

        Assert.StartsWith(expected, Lock.Check(candidate));
    }
}
