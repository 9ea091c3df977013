using System.Buffers.Binary;
using AcceptD.Core.Drivers;
using AcceptD.Core.Matching;
using FsCheck.Xunit;

namespace AcceptD.Core.Tests.Drivers;

public class KmodIndexTests
{
    private static KmodIndex Open(KmodIndexWriter writer) => KmodIndex.Open(writer.Write());

    private static string[] Values(List<IndexValue> values) => values.Select(v => v.Value).ToArray();

    [Fact]
    public void Exact_search_finds_the_first_value_of_the_key_only()
    {
        var index = Open(new KmodIndexWriter().Add("virtio_net", "a", 2).Add("virtio_net", "b", 1).Add("virtio", "c").Add("ask", "d"));
        Assert.Equal("a", index.Search("virtio_net")); // the first stored, as index_mm_search: depmod stores them sorted
        Assert.Equal("c", index.Search("virtio"));
        Assert.Equal("d", index.Search("ask"));
        Assert.Null(index.Search("virtio_"));
        Assert.Null(index.Search("virtio_net_x"));
        Assert.Null(index.Search("as"));
        Assert.Null(index.Search(""));
    }

    [Fact]
    public void Wildcard_search_treats_keys_as_fnmatch_patterns()
    {
        var index = Open(new KmodIndexWriter()
            .Add("pci:v00001AF4d*sv*sd*bc*sc*i*", "virtio_pci", 1)
            .Add("pci:v*d*sv*sd*bc02sc00i*", "nic", 2)
            .Add("pci:v00001AF4d0000104?sv*", "modern", 3)
            .Add("pci:v00001AF4d0000104[0-3]sv*", "range", 4)
            .Add("pci:v00001AF4d00001041sv00001AF4sd00001100bc02sc00i00", "exact", 5)
            .Add("pci:v00008086d*", "intel", 6));
        Assert.Equal(["virtio_pci", "nic", "modern", "range", "exact"],
            Values(index.SearchWild("pci:v00001AF4d00001041sv00001AF4sd00001100bc02sc00i00")));
        Assert.Equal(["virtio_pci", "nic", "modern"], Values(index.SearchWild("pci:v00001AF4d00001049sv00001AF4sd00001100bc02sc00i00")));
        Assert.Equal(["intel"], Values(index.SearchWild("pci:v00008086d00001000sv0sd0bc03sc00i00")));
        Assert.Empty(index.SearchWild("usb:v046Dp0001"));
    }

    [Fact]
    public void Wildcard_search_gives_each_value_with_its_whole_pattern()
    {
        var index = Open(new KmodIndexWriter().Add("vfio_pci:v000015B3d0000101Esv*", "mlx5_vfio_pci").Add("vfio_pci:v000015B3d*", "generic_vfio"));
        Assert.Equal(["vfio_pci:v000015B3d*", "vfio_pci:v000015B3d0000101Esv*"],
            index.SearchWild("vfio_pci:v000015B3d0000101Esv0").Select(v => v.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Wildcard_search_orders_by_priority_and_puts_the_later_found_first_among_equals()
    {
        // kmod's add_value() inserts before the first value of the same priority: "a*" is found before "ab" (the '*'
        // subtree is searched before going deeper), so "ab"'s value comes first.
        var index = Open(new KmodIndexWriter().Add("a*", "star", 7).Add("ab", "exact", 7).Add("a?", "low", 1).Add("[a]b", "high", 9));
        Assert.Equal(["low", "exact", "star", "high"], Values(index.SearchWild("ab")));
    }

    [Fact]
    public void A_wildcard_inside_a_compressed_prefix_is_matched_from_there()
    {
        var index = Open(new KmodIndexWriter().Add("usb:v046Dp*d*dc*", "logitech"));
        Assert.Equal(["logitech"], Values(index.SearchWild("usb:v046DpC52Bd0111dc00dsc00")));
        Assert.Empty(index.SearchWild("usb:v046E"));
    }

    [Fact]
    public void All_lists_every_key_and_value()
    {
        var index = Open(new KmodIndexWriter().Add("crc64-rocksoft", "crc64_rocksoft", 1).Add("crc64", "crc64_rocksoft", 2).Add("net-pf-1", "unix", 3));
        Assert.Equal(["crc64 crc64_rocksoft", "crc64-rocksoft crc64_rocksoft", "net-pf-1 unix"],
            index.All().Select(v => $"{v.Key} {v.Value}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_empty_index_finds_nothing()
    {
        var index = Open(new KmodIndexWriter());
        Assert.Null(index.Search("x"));
        Assert.Empty(index.SearchWild("x"));
        Assert.Empty(index.All());
    }

    /// <summary>Patterns without a backslash: the trie compares one literally up to the first '*', '?' or '[', as kmod's does.</summary>
    [Property(MaxTest = 300)]
    public bool Wildcard_search_agrees_with_matching_every_pattern(string[] keys, string text)
    {
        var patterns = (keys ?? []).Where(k => k is not null && k.All(c => c is > '\0' and < '\u0080' and not '\\')).Distinct().ToArray();
        text = (text ?? "").Replace("\0", "");
        var writer = new KmodIndexWriter();
        for (var i = 0; i < patterns.Length; i++) writer.Add(patterns[i], $"m{i}", (uint)i);
        var expected = patterns.Select((p, i) => (p, i)).Where(x => Glob.IsMatch(x.p, text)).Select(x => $"m{x.i}");
        return Open(writer).SearchWild(text).Select(v => v.Value).SequenceEqual(expected);
    }

    [Theory]
    [InlineData(0xB007FA57u, 0x00020001u)] // the old magic
    [InlineData(KmodIndex.Magic, 0x00010000u)]
    [InlineData(KmodIndex.Magic, 0x00030000u)]
    public void A_header_other_than_kmod_index_version_2_is_refused(uint magic, uint version)
    {
        var bytes = new KmodIndexWriter().Add("a", "b").Write();
        BinaryPrimitives.WriteUInt32BigEndian(bytes, magic);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), version);
        Assert.Throws<InvalidDataException>(() => KmodIndex.Open(bytes));
    }

    [Fact]
    public void A_file_shorter_than_the_header_is_refused()
    {
        var bytes = new KmodIndexWriter().Add("a", "b").Write();
        Assert.Throws<InvalidDataException>(() => KmodIndex.Open(bytes[..11]));
        Assert.Throws<InvalidDataException>(() => KmodIndex.Open(bytes[..3]));
    }

    [Fact]
    public void A_child_range_running_backwards_is_refused()
    {
        var (bytes, offsets) = new KmodIndexWriter().Add("ab", "x").Add("ac", "y").WriteWithOffsets();
        var slot = KmodIndexWriter.ChildSlot(bytes, offsets["a"], 'b');
        (bytes[slot - 2], bytes[slot - 1]) = ((byte)'c', (byte)'b'); // first 'c', last 'b'
        var error = Assert.Throws<InvalidDataException>(() => KmodIndex.Open(bytes).SearchWild("ab"));
        Assert.Contains("child range 99..98", error.Message);
    }

    [Fact]
    public void A_value_count_larger_than_the_file_can_hold_is_refused()
    {
        var (bytes, offsets) = new KmodIndexWriter().Add("ab", "x").WriteWithOffsets();
        // The node of "ab" has the prefix "b" (after the root's child 'a'), then its value count.
        var at = (int)(offsets["ab"] & KmodIndex.OffsetMask) + "b".Length + 1;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(at), 0xFFFF_FFF0);
        var error = Assert.Throws<InvalidDataException>(() => KmodIndex.Open(bytes).Search("ab"));
        Assert.Contains("values do not fit", error.Message);
    }
}
