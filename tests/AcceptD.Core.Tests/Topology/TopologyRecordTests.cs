using AcceptD.Core.Devices;
using AcceptD.Core.Topology;

namespace AcceptD.Core.Tests.Topology;

public sealed class TopologyRecordTests
{
    private static readonly TopologyEntry Nic = new("pci/0000:00:04.0", "/devices/pci0000:00/0000:00:04.0",
        new DeviceIds("1af4", "1041", "1af4", "1100", 0x020000, "01"), "virtio-pci");
    private static readonly TopologyEntry Accel = new("pci/0000:01:00.0", "/devices/pci0000:00/0000:00:01.0/0000:01:00.0",
        new DeviceIds("8086", "ffff", Class: 0x120000), "devsec_pci", "sha384:" + new string('c', 96));

    [Fact]
    public void Canonical_form_is_sorted_tab_separated_lines()
    {
        var record = new TopologyRecord([Accel, Nic]);

        Assert.Equal(
            "acceptd-topology 1\n" +
            "pci/0000:00:04.0\t/devices/pci0000:00/0000:00:04.0\t1af4:1041\t1af4:1100\t020000\t01\tvirtio-pci\t-\n" +
            "pci/0000:01:00.0\t/devices/pci0000:00/0000:00:01.0/0000:01:00.0\t8086:ffff\t-\t120000\t-\tdevsec_pci\tsha384:" + new string('c', 96) + "\n",
            record.Canonical);
    }

    [Fact]
    public void Digest_is_stable_and_independent_of_order()
    {
        Assert.Equal(new TopologyRecord([Nic, Accel]).Digest, new TopologyRecord([Accel, Nic]).Digest);
        Assert.Equal("sha384:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA384.HashData("acceptd-topology 1\n"u8)),
            TopologyRecord.Empty.Digest);
    }

    public static TheoryData<string, TopologyEntry> Changes => new()
    {
        { "identity", Accel with { Ids = Accel.Ids with { Device = "fffe" } } },
        { "path", Accel with { Path = "/devices/pci0000:00/0000:00:02.0/0000:01:00.0" } },
        { "driver", Accel with { Driver = "vfio-pci" } },
        { "evidence", Accel with { EvidenceDigest = "sha384:" + new string('d', 96) } },
        { "revision", Accel with { Ids = Accel.Ids with { Revision = "02" } } },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void Digest_changes_with_any_accepted_devices_identity_or_evidence(string what, TopologyEntry changed)
    {
        Assert.True(new TopologyRecord([Nic, Accel]).Digest != new TopologyRecord([Nic, changed]).Digest, what);
    }

    [Fact]
    public void Fields_cannot_bleed_into_each_other()
    {
        var a = new TopologyRecord([Nic with { Driver = "a\tb" }]);
        var b = new TopologyRecord([Nic with { Driver = "a", EvidenceDigest = "b" }]);

        Assert.NotEqual(a.Digest, b.Digest);
        Assert.Contains("a\\tb", a.Canonical);
    }

    [Fact]
    public void Entry_from_a_daemon_record_keeps_identity_driver_and_evidence()
    {
        var record = new AcceptD.Core.State.DeviceRecord(Accel.Key, "pci", "0000:01:00.0", Accel.Path, null, Accel.Ids, Accel.Driver,
            AcceptD.Core.State.DeviceState.Bound, "tdisp", null, null, null, false, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch,
            EvidenceDigest: Accel.EvidenceDigest);

        Assert.Equal(Accel, TopologyEntry.From(record));
    }

    [Fact]
    public void Rejects_duplicate_keys()
    {
        var error = Assert.Throws<ArgumentException>(() => new TopologyRecord([Nic, Nic]));
        Assert.Contains("pci/0000:00:04.0 listed twice", error.Message);
    }

    [Fact]
    public void With_replaces_an_entry_by_key()
    {
        var record = new TopologyRecord([Nic]).With(Nic with { Driver = null }).With(Accel);

        Assert.Equal(2, record.Entries.Length);
        Assert.Null(record.Find(Nic.Key)!.Driver);
    }

    [Fact]
    public void Json_carries_digest_and_nulls_for_absent_values()
    {
        var json = System.Text.Json.JsonDocument.Parse(new TopologyRecord([Accel]).ToJson()).RootElement;
        var device = json.GetProperty("devices")[0];

        Assert.Equal(new TopologyRecord([Accel]).Digest, json.GetProperty("digest").GetString());
        Assert.Equal("8086:ffff", device.GetProperty("id").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, device.GetProperty("subsystem").ValueKind);
        Assert.Equal(Accel.EvidenceDigest, device.GetProperty("evidence").GetString());
    }
}
