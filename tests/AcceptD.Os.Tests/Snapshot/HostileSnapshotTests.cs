using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using AcceptD.Core.Devices;
using AcceptD.Os.Snapshot;
using AcceptD.Testing;

namespace AcceptD.Os.Tests.Snapshot;

/// <summary>Crafted archives: corrupted, truncated, bombs, manifests with nulls, listing names that are paths.</summary>
public class HostileSnapshotTests
{
    private const string GoodManifest = """{"version":1,"created":"2026-01-01T00:00:00+00:00","host":"h","listings":{"/sys/bus/pci/devices":["0000:00:03.0"]},"present":[]}""";

    private static MemoryStream Archive(string manifest, IEnumerable<TarEntry>? entries = null)
    {
        var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Ustar))
        {
            tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, "manifest.json") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(manifest)) });
            foreach (var entry in entries ?? []) tar.WriteEntry(entry);
        }
        buffer.Position = 0;
        return buffer;
    }

    private static string Refusal(Stream archive) =>
        Assert.Throws<InvalidDataException>(() => SnapshotArchive.Read(archive, "x.tar.gz")).Message;

    [Fact]
    public void A_corrupted_crc_or_length_in_the_gzip_trailer_is_refused()
    {
        Assert.NotNull(SnapshotArchive.Read(Archive(GoodManifest), "x.tar.gz"));
        foreach (var offset in new[] { 8, 3 }) // CRC-32, then ISIZE: the last 8 bytes
        {
            var bytes = Archive(GoodManifest).ToArray();
            bytes[^offset] ^= 0x55;
            Assert.StartsWith("x.tar.gz: not an AcceptD snapshot (", Refusal(new MemoryStream(bytes)));
        }
    }

    [Theory]
    [InlineData("""{"version":1,"created":"2026-01-01T00:00:00+00:00","host":"h","present":[]}""", "has no \"listings\"")]
    [InlineData("""{"version":1,"created":"2026-01-01T00:00:00+00:00","host":"h","listings":{},"present":null}""", "has no \"present\" list")]
    [InlineData("""{"version":1,"created":"2026-01-01T00:00:00+00:00","host":"h","listings":{},"present":[null]}""", "or a null in it")]
    [InlineData("""{"version":1,"created":"2026-01-01T00:00:00+00:00","listings":{},"present":[]}""", "has no \"host\"")]
    [InlineData("""{"version":1,"created":"2026-01-01T00:00:00+00:00","host":"h","listings":{"/sys/bus/pci/devices":null},"present":[]}""", "listing /sys/bus/pci/devices is null")]
    [InlineData("""{"version":1,"created":"2026-01-01T00:00:00+00:00","host":"h","listings":{"/sys/bus/pci/devices":["../x"]},"present":[]}""", "entry '../x' that contains '/'")]
    [InlineData("""{"version":1,"created":"2026-01-01T00:00:00+00:00","host":"h","listings":{"/sys/bus/pci/devices":[".."]},"present":[]}""", "entry '..' that is not a name")]
    [InlineData("""{"version":1,"created":"2026-01-01T00:00:00+00:00","host":"h","listings":{"/sys/bus/pci/devices":["/abs"]},"present":[]}""", "entry '/abs' that contains '/'")]
    [InlineData("""{"version":1,"created":"2026-01-01T00:00:00+00:00","host":"h","listings":{"/sys/bus/pci/devices":["a/b"]},"present":[]}""", "entry 'a/b' that contains '/'")]
    [InlineData("""{"version":1,"created":"2026-01-01T00:00:00+00:00","host":"h","listings":{"/sys/bus/pci/devices":["a\nb"]},"present":[]}""", "entry 'a\\nb' that contains a control character")]
    [InlineData("""{"version":1,"created":"2026-01-01T00:00:00+00:00","host":"h","listings":{"/sys/bus/pci/devices":[""]},"present":[]}""", "entry '' that is empty")]
    [InlineData("""{"version":1,"created":"2026-01-01T00:00:00+00:00","host":"h","listings":{"/sys/bus/pci/devices":["x","x"]},"present":[]}""", "names 'x' twice")]
    [InlineData("""{"version":1,"created":"2026-01-01T00:00:00+00:00","host":"h","listings":{"sys":[]},"present":[]}""", "listing 'sys' is not an absolute path")]
    public void A_manifest_with_missing_null_or_path_like_entries_is_a_clear_error(string manifest, string why)
    {
        var message = Refusal(Archive(manifest));
        Assert.StartsWith("x.tar.gz: not a valid AcceptD snapshot (", message);
        Assert.Contains(why, message);
    }

    [Fact]
    public void A_gzip_bomb_of_big_entries_stops_at_the_total_limit()
    {
        var zeros = new byte[60 << 20]; // each entry under the per-entry limit; together over the total
        var entries = Enumerable.Range(0, 4).Select(i => new UstarTarEntry(TarEntryType.RegularFile, $"root/sys/zero{i}") { DataStream = new MemoryStream(zeros) });
        Assert.Contains($"more than {SnapshotLimits.MaxTotalBytes} bytes once decompressed", Refusal(Archive(GoodManifest, entries)));
    }

    [Fact]
    public void A_gzip_bomb_of_many_small_entries_stops_at_the_entry_limit()
    {
        var entries = Enumerable.Range(0, SnapshotLimits.MaxEntries + 1).Select(i => new UstarTarEntry(TarEntryType.Directory, $"d{i}"));
        Assert.Contains($"more than {SnapshotLimits.MaxEntries} entries", Refusal(Archive(GoodManifest, entries)));
    }

    [Fact]
    public void A_device_name_with_a_newline_is_refused_when_writing_so_no_unreadable_archive_is_made()
    {
        using var tree = FakeSysfs.Create();
        tree.AddBus("pci");
        Directory.CreateDirectory(tree.Root + "/sys/bus/pci/devices/bad\nname");
        var recording = new RecordingFileView(tree.View);
        new InventoryReader(recording).Read();
        var error = Assert.Throws<InvalidDataException>(() => SnapshotArchive.Write(new MemoryStream(), recording, "h", DateTimeOffset.UnixEpoch));
        Assert.Equal("listing /sys/bus/pci/devices has an entry 'bad\\nname' that contains a control character", error.Message);
    }
}
