using System.Buffers.Binary;
using System.Text;

namespace AcceptD.Core.Drivers;

/// <summary>One value of a kmod index key: the key (an alias pattern for modules.alias), the value and its priority.</summary>
internal readonly record struct IndexValue(string Key, string Value, uint Priority);

/// <summary>
/// A trie index file as depmod writes it and libkmod reads it (libkmod-index.c): modules.alias.bin, modules.dep.bin,
/// modules.symbols.bin, modules.builtin.bin, modules.builtin.alias.bin. Big-endian; a 12-byte header (magic,
/// version, root offset), then nodes addressed by offsets whose high nibble says which parts the node has: a
/// NUL-terminated prefix, a child range first..last with one offset per character, values (priority + NUL-terminated
/// string). Nodes are decoded where a lookup walks, never all at once. The file is hostile input: every read is
/// bounds-checked, and a search does at most as much work as a well-formed trie of that size allows, so a loop or a
/// shared subtree ends it; both throw <see cref="InvalidDataException"/>, after which the caller uses the text file.
/// </summary>
internal sealed partial class KmodIndex
{
    public const uint Magic = 0xB007F457;
    public const int VersionMajor = 2;
    public const uint PrefixFlag = 0x8000_0000, ValuesFlag = 0x4000_0000, ChildrenFlag = 0x2000_0000, OffsetMask = 0x0FFF_FFFF;
    private const int HeaderSize = 12;

    /// <summary>depmod stores children for 7-bit characters only (INDEX_CHILDMAX).</summary>
    private const int ChildMax = 128;

    private readonly byte[] _bytes;
    private readonly uint _root;

    private KmodIndex(byte[] bytes, uint root)
    {
        _bytes = bytes;
        _root = root;
    }

    public int Length => _bytes.Length;

    /// <exception cref="InvalidDataException">Not a version 2 kmod index (index_mm_open's checks).</exception>
    public static KmodIndex Open(byte[] bytes)
    {
        if (bytes.Length < HeaderSize) throw new InvalidDataException($"{bytes.Length} bytes, shorter than an index header");
        var magic = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        if (magic != Magic) throw new InvalidDataException($"magic 0x{magic:X8} instead of 0x{Magic:X8}");
        var version = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(4));
        if (version >> 16 != VersionMajor) throw new InvalidDataException($"format version {version >> 16}.{version & 0xFFFF}, not {VersionMajor}.x");
        return new KmodIndex(bytes, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(8)));
    }

    /// <summary>index_mm_search(): the first value stored under exactly this key, null when there is none.</summary>
    public string? Search(string key)
    {
        var text = Encoding.UTF8.GetBytes(key);
        var budget = new Budget(this);
        var i = 0;
        for (var node = ReadNode(_root, ref budget); node is { } n; i++)
        {
            var prefix = Prefix(n);
            if (!text.AsSpan(i).StartsWith(prefix)) return null;
            i += prefix.Length;
            if (i == text.Length) return n.ValueCount > 0 ? Values(n)[0].Value : null;
            node = Child(n, text[i], ref budget);
        }
        return null;
    }

    /// <summary>A decoded node header: where its parts lie in the file.</summary>
    private readonly record struct Node(int PrefixAt, int PrefixLength, int First, int Last, int ChildrenAt, int ValueCount, int ValuesAt);

    /// <summary>
    /// Node reads one search may make: each node of a well-formed trie is reached through one child slot (4 bytes),
    /// and costs one read plus its prefix, which it stores itself. A search that needs more is walking a loop, or a
    /// subtree linked from many places (exponential without this bound).
    /// </summary>
    private struct Budget(KmodIndex index)
    {
        private long _left = 2L * index.Length + 64;

        public void Spend(int cost)
        {
            _left -= cost;
            if (_left < 0) throw new InvalidDataException("a search visits more nodes than the file can hold: the trie loops");
        }
    }

    /// <summary>index_mm_read_node(); null for offset 0 (no node). Throws when any part lies outside the file.</summary>
    private Node? ReadNode(uint offset, ref Budget budget)
    {
        var at = (long)(offset & OffsetMask);
        if (at == 0) return null;
        if (at > _bytes.Length) throw new InvalidDataException($"node offset {at} beyond the end of the file ({_bytes.Length} bytes)");
        int prefixAt = (int)at, prefixLength = 0;
        if ((offset & PrefixFlag) != 0)
        {
            prefixLength = Terminated(prefixAt, "prefix");
            at += prefixLength + 1;
        }
        budget.Spend(1 + prefixLength);
        int first = ChildMax, last = -1, childrenAt = 0;
        if ((offset & ChildrenFlag) != 0)
        {
            Need(at, 2, "child range");
            (first, last) = (_bytes[at], _bytes[at + 1]);
            if (first > last || last >= ChildMax) throw new InvalidDataException($"node at {offset & OffsetMask}: child range {first}..{last}");
            childrenAt = (int)at + 2;
            at = childrenAt + 4L * (last - first + 1);
            Need(at, 0, "child offsets");
        }
        int valueCount = 0, valuesAt = 0;
        if ((offset & ValuesFlag) != 0)
        {
            Need(at, 4, "value count");
            var count = BinaryPrimitives.ReadUInt32BigEndian(_bytes.AsSpan((int)at));
            // Each value takes at least 5 bytes (priority and NUL): a larger count cannot be true.
            if (count > (_bytes.Length - at - 4) / 5) throw new InvalidDataException($"node at {offset & OffsetMask}: {count} values do not fit");
            (valueCount, valuesAt) = ((int)count, (int)at + 4);
        }
        return new Node(prefixAt, prefixLength, first, last, childrenAt, valueCount, valuesAt);
    }

    private ReadOnlySpan<byte> Prefix(Node node) => _bytes.AsSpan(node.PrefixAt, node.PrefixLength);

    /// <summary>index_mm_readchild(): the child under one character, null when there is none.</summary>
    private Node? Child(Node node, int c, ref Budget budget) =>
        c >= node.First && c <= node.Last
            ? ReadNode(BinaryPrimitives.ReadUInt32BigEndian(_bytes.AsSpan(node.ChildrenAt + 4 * (c - node.First))), ref budget)
            : null;

    /// <summary>The node's values in file order, each with the key given (wildcard searches fill it in).</summary>
    private List<IndexValue> Values(Node node, string key = "")
    {
        var values = new List<IndexValue>(node.ValueCount);
        var at = node.ValuesAt;
        for (var v = 0; v < node.ValueCount; v++)
        {
            Need(at, 4, "value");
            var priority = BinaryPrimitives.ReadUInt32BigEndian(_bytes.AsSpan(at));
            var length = Terminated(at + 4, "value");
            values.Add(new IndexValue(key, Encoding.UTF8.GetString(_bytes, at + 4, length), priority));
            at += 4 + length + 1;
        }
        return values;
    }

    /// <summary>The length of the NUL-terminated string at the offset, which must end inside the file.</summary>
    private int Terminated(long at, string what)
    {
        var length = at < _bytes.Length ? _bytes.AsSpan((int)at).IndexOf((byte)0) : -1;
        return length >= 0 ? length : throw new InvalidDataException($"{what} at {at} runs past the end of the file");
    }

    private void Need(long at, int count, string what)
    {
        if (at + count > _bytes.Length) throw new InvalidDataException($"{what} at {at} runs past the end of the file");
    }
}
