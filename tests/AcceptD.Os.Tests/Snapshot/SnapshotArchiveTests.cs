using System.Formats.Tar;
using System.IO.Compression;
using AcceptD.Core.Devices;
using AcceptD.Os.Snapshot;
using AcceptD.Testing;

namespace AcceptD.Os.Tests.Snapshot;

public class SnapshotArchiveTests
{
    [Fact]
    public void A_snapshot_replays_exactly_what_was_read()
    {
        using var tree = FakeSysfs.Create();
        tree.AddPciDevice("0000:00:03.0", vendor: "0x1af4", device: "0x1000", cls: "0x020000", driver: null);
        tree.AddPciDevice("0000:00:04.0", vendor: "0x8086", device: "0x100e", cls: "0x020000", driver: "e1000");
        var recording = new RecordingFileView(tree.View);
        var live = new InventoryReader(recording).Read();

        var buffer = new MemoryStream();
        SnapshotArchive.Write(buffer, recording, "test-host", DateTimeOffset.UnixEpoch);
        buffer.Position = 0;
        var replay = SnapshotArchive.Read(buffer, "test.tar.gz");
        var replayed = new InventoryReader(replay).Read();

        Assert.Equal(live.Tree.Devices, replayed.Tree.Devices);
        Assert.Equal(live.Buses, replayed.Buses);
        Assert.Equal(live.Drivers.Drivers, replayed.Drivers.Drivers);
        Assert.Equal("e1000", replayed.Tree.Find("pci/0000:00:04.0")!.Driver);
        Assert.Equal("test-host", replay.Host);
    }

    [Fact]
    public void Binary_files_read_as_bytes_replay_byte_for_byte()
    {
        using var tree = FakeSysfs.Create();
        byte[] index = [0xB0, 0x07, 0xF4, 0x57, 0xFF, 0xFE, 0x00, (byte)'\n'];
        var modules = $"/lib/modules/{tree.Release}";
        tree.WriteModulesFile("modules.alias", "alias x y\n");
        File.WriteAllBytes(tree.Root + modules + "/modules.alias.bin", index);
        var recording = new RecordingFileView(tree.View);
        Assert.Equal(index, recording.ReadBytes(modules + "/modules.alias.bin"));
        Assert.Equal("alias x y", recording.Read(modules + "/modules.alias"));

        var buffer = new MemoryStream();
        SnapshotArchive.Write(buffer, recording, "test-host", DateTimeOffset.UnixEpoch);
        buffer.Position = 0;
        var replay = SnapshotArchive.Read(buffer, "test.tar.gz");
        Assert.Equal(index, replay.ReadBytes(modules + "/modules.alias.bin"));
        Assert.Equal("alias x y", replay.Read(modules + "/modules.alias"));
    }

    [Fact]
    public void A_file_that_is_not_a_snapshot_is_refused_with_its_name()
    {
        var error = Assert.Throws<InvalidDataException>(() => SnapshotArchive.Read(new MemoryStream("hello"u8.ToArray()), "notes.txt"));
        Assert.StartsWith("notes.txt: not an AcceptD snapshot", error.Message);
    }

    [Fact]
    public void An_entry_larger_than_any_file_acceptd_reads_is_refused_before_it_is_read()
    {
        var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "root/sys/huge") { DataStream = new MemoryStream(new byte[65 << 20]) });
        buffer.Position = 0;

        var error = Assert.Throws<InvalidDataException>(() => SnapshotArchive.Read(buffer, "huge.tar.gz"));
        Assert.Equal("huge.tar.gz: not an AcceptD snapshot (root/sys/huge is 68157440 bytes, more than any file AcceptD reads)", error.Message);
    }
}
