using System.Buffers.Binary;
using AcceptD.Core.Drivers;
using AcceptD.Testing;

namespace AcceptD.Core.Tests.Drivers;

/// <summary>ModuleIndex over kmod's .bin indexes: preferred where usable, the text files when not (and a warning).</summary>
public class ModuleIndexBinaryTests
{
    private const string Dir = "/lib/modules/6.1.0-test";
    private const string VirtioNet = "pci:v00001AF4d00001000sv00001AF4sd00000001bc02sc00i00";

    /// <summary>The text tree of ModuleIndexTests plus .bin files that answer differently, so each answer shows its source.</summary>
    private static InMemoryFileView Tree() => ModuleIndexTests.Tree()
        .Binary(Dir + "/modules.alias.bin", new KmodIndexWriter().Add("pci:v00001AF4d*", "from_bin", 1).Add("pci:v*d*sv*sd*bc02sc00i*", "generic_bin", 0).Write())
        .Binary(Dir + "/modules.dep.bin", new KmodIndexWriter()
            .Add("from_bin", "kernel/from_bin.ko: kernel/needed.ko").Add("needed", "kernel/needed.ko:").Write())
        .Binary(Dir + "/modules.symbols.bin", new KmodIndexWriter().Add("symbol:virtio_find", "from_bin").Write())
        .Binary(Dir + "/modules.builtin.bin", new KmodIndexWriter().Add("crc64_rocksoft", "").Write())
        .Binary(Dir + "/modules.builtin.alias.bin", new KmodIndexWriter()
            .Add("crc64_rocksoft", "crc64_rocksoft_generic").Add("fs_tracefs", "tracefs") /* depmod stores aliases normalised */.Write());

    [Fact]
    public void Answers_from_the_bin_files_in_kmod_order()
    {
        var index = ModuleIndex.Load(Tree(), Dir);
        Assert.Equal(["generic_bin", "from_bin"], index.Resolve(VirtioNet));
        Assert.Equal(["from_bin"], index.Resolve("symbol:virtio_find"));
        Assert.Equal(["needed.ko", "from_bin.ko"], index.LoadOrder("from_bin").Select(f => Path.GetFileName(f.RelativePath)));
        Assert.Empty(index.Warnings);
    }

    [Fact]
    public void Built_in_module_names_come_before_built_in_aliases()
    {
        var index = ModuleIndex.Load(Tree(), Dir);
        Assert.Equal(["crc64_rocksoft"], index.Resolve("crc64-rocksoft"));
        Assert.Equal(["tracefs"], index.Resolve("fs-tracefs"));
        Assert.True(index.IsBuiltin("tracefs")); // named by a built-in alias only
        Assert.False(index.Exists("virtio_blk")); // built in by the text file only: the .bin is what counts
    }

    [Fact]
    public void A_missing_bin_uses_the_text_file_without_a_warning()
    {
        var index = ModuleIndex.Load(ModuleIndexTests.Tree(), Dir);
        Assert.Equal(["virtio_pci", "generic_nic"], index.Resolve(VirtioNet));
        Assert.Empty(index.Warnings);
    }

    [Fact]
    public void A_bin_with_a_bad_magic_falls_back_to_the_text_file_with_a_warning()
    {
        var bytes = new KmodIndexWriter().Add("pci:v00001AF4d*", "from_bin").Write();
        BinaryPrimitives.WriteUInt32BigEndian(bytes, 0xB007FA57);
        var index = ModuleIndex.Load(ModuleIndexTests.Tree().Binary(Dir + "/modules.alias.bin", bytes), Dir);
        Assert.Equal(["virtio_pci", "generic_nic"], index.Resolve(VirtioNet));
        Assert.Contains(index.Warnings, w => w.StartsWith("modules.alias.bin: magic 0xB007FA57", StringComparison.Ordinal));
    }

    [Fact]
    public void A_truncated_bin_falls_back_to_the_text_file_in_the_middle_of_a_lookup()
    {
        var bytes = new KmodIndexWriter().Add("pci:v00001AF4d*", "from_bin").Add("pci:v00008086d*", "intel").Write();
        var index = ModuleIndex.Load(ModuleIndexTests.Tree().Binary(Dir + "/modules.alias.bin", bytes[..^6]), Dir);
        Assert.Equal(["virtio_pci", "generic_nic"], index.Resolve(VirtioNet));
        Assert.Single(index.Warnings, w => w.Contains("past the end") || w.Contains("beyond the end"));
    }

    [Fact]
    public void A_child_offset_beyond_the_file_falls_back_to_the_text_file()
    {
        var (bytes, offsets) = new KmodIndexWriter().Add("pci:v00001AF4d*", "from_bin").Add("pci:v00008086d*", "intel").WriteWithOffsets();
        // "pci:v0000" branches at '1' and '8'; point the '1' child far past the end.
        var slot = KmodIndexWriter.ChildSlot(bytes, offsets["pci:v0000"], '1');
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(slot), KmodIndex.PrefixFlag | 0x0FFF_0000);
        var index = ModuleIndex.Load(ModuleIndexTests.Tree().Binary(Dir + "/modules.alias.bin", bytes), Dir);
        Assert.Equal(["virtio_pci", "generic_nic"], index.Resolve(VirtioNet));
        Assert.Single(index.Warnings, w => w.Contains("beyond the end"));
    }

    [Fact]
    public void A_prefix_running_past_the_end_of_the_file_falls_back_to_the_text_file()
    {
        var bytes = new byte[15]; // a header whose root node's prefix "pci" has no terminating NUL
        BinaryPrimitives.WriteUInt32BigEndian(bytes, KmodIndex.Magic);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), 0x0002_0001);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(8), KmodIndex.PrefixFlag | 12);
        "pci"u8.CopyTo(bytes.AsSpan(12));
        var index = ModuleIndex.Load(ModuleIndexTests.Tree().Binary(Dir + "/modules.alias.bin", bytes), Dir);
        Assert.Equal(["virtio_pci", "generic_nic"], index.Resolve(VirtioNet));
        Assert.Single(index.Warnings, w => w.Contains("prefix at") && w.Contains("past the end"));
    }

    [Fact]
    public async Task A_trie_that_loops_back_to_a_parent_ends_the_lookup_and_falls_back_to_the_text_file()
    {
        var (bytes, offsets) = new KmodIndexWriter().Add("pci:v*", "any_vendor").Add("pci:v*d1", "x").WriteWithOffsets();
        // The node of "pci:v*" has a child 'd'; make it point back at the node itself.
        var star = offsets["pci:v*"];
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(KmodIndexWriter.ChildSlot(bytes, star, 'd')), star);
        var index = ModuleIndex.Load(ModuleIndexTests.Tree().Binary(Dir + "/modules.alias.bin", bytes), Dir);
        // Run apart, so that a missing guard shows as a failed test rather than a hung run.
        var lookup = Task.Run(() => index.Resolve(VirtioNet), TestContext.Current.CancellationToken);
        Assert.Same(lookup, await Task.WhenAny(lookup, Task.Delay(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken)));
        Assert.Equal(["virtio_pci", "generic_nic"], await lookup);
        Assert.Single(index.Warnings, w => w.Contains("loops"));
    }

    [Fact]
    public void Preload_checks_the_whole_bin_and_reads_the_text_files_too()
    {
        var (bytes, offsets) = new KmodIndexWriter().Add("pci:v00001AF4d*", "from_bin").Add("zzz", "unreached").WriteWithOffsets();
        // Damage only the "zzz" branch, which no pci: lookup walks: the root's slot for 'z' points past the end.
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(KmodIndexWriter.ChildSlot(bytes, offsets[""], 'z')), 0x0FFF_0000);
        var files = new RecordingView(ModuleIndexTests.Tree().Binary(Dir + "/modules.alias.bin", bytes));
        var index = ModuleIndex.Load(files, Dir);
        Assert.Equal(["from_bin"], index.Resolve(VirtioNet));
        Assert.Empty(index.Warnings);

        index.Preload();
        Assert.Single(index.Warnings, w => w.StartsWith("modules.alias.bin:", StringComparison.Ordinal));
        Assert.Contains(Dir + "/modules.alias", files.Reads);
        Assert.Contains(Dir + "/modules.dep", files.Reads);
    }

    private sealed class RecordingView(InMemoryFileView inner) : Core.Devices.IFileView
    {
        public List<string> Reads { get; } = [];

        public IReadOnlyList<string> List(string path) => inner.List(path);

        public string? Read(string path)
        {
            Reads.Add(path);
            return inner.Read(path);
        }

        public byte[]? ReadBytes(string path) => inner.ReadBytes(path);

        public string? ReadLink(string path) => inner.ReadLink(path);

        public bool Exists(string path) => inner.Exists(path);
    }
}
