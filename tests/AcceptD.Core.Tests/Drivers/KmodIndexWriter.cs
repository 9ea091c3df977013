using System.Buffers.Binary;
using System.Text;
using AcceptD.Core.Drivers;

namespace AcceptD.Core.Tests.Drivers;

/// <summary>
/// Writes small kmod index files the way depmod's index_write() does (a path-compressed trie, children written before
/// their parent, values in the order added), and exposes node offsets so tests can damage a file on purpose.
/// </summary>
internal sealed class KmodIndexWriter
{
    private sealed class Node
    {
        public string Prefix = "";
        public readonly SortedDictionary<char, Node> Children = [];
        public readonly List<(uint Priority, string Value)> Values = [];
    }

    private readonly Node _root = new();

    public KmodIndexWriter Add(string key, string value, uint priority = 0)
    {
        var node = _root;
        foreach (var c in key)
        {
            if (!node.Children.TryGetValue(c, out var child)) node.Children[c] = child = new Node();
            node = child;
        }
        node.Values.Add((priority, value));
        return this;
    }

    /// <summary>The file, and the offset (flags included) of each node written, keyed by the path to it.</summary>
    public (byte[] Bytes, Dictionary<string, uint> Offsets) WriteWithOffsets()
    {
        var output = new List<byte>(new byte[12]);
        var offsets = new Dictionary<string, uint>(StringComparer.Ordinal);
        CompressChildren(_root);
        var root = Write(_root, "", output, offsets);
        var bytes = output.ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(bytes, KmodIndex.Magic);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), (KmodIndex.VersionMajor << 16) | 1);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(8), root);
        return (bytes, offsets);
    }

    public byte[] Write() => WriteWithOffsets().Bytes;

    /// <summary>
    /// Below the root (whose prefix depmod leaves empty), a node without values and with one child is merged with
    /// it: its character joins the child's prefix.
    /// </summary>
    private static void CompressChildren(Node parent)
    {
        foreach (var c in parent.Children.Keys.ToArray())
        {
            var node = parent.Children[c];
            while (node.Values.Count == 0 && node.Children.Count == 1)
            {
                var (next, child) = node.Children.First();
                child.Prefix = node.Prefix + next + child.Prefix;
                node = child;
            }
            CompressChildren(parent.Children[c] = node);
        }
    }

    /// <summary>Where in the file the node at the offset keeps its child offset for the character.</summary>
    public static int ChildSlot(byte[] bytes, uint offset, char c)
    {
        var at = (int)(offset & KmodIndex.OffsetMask);
        if ((offset & KmodIndex.PrefixFlag) != 0) at = Array.IndexOf(bytes, (byte)0, at) + 1;
        return at + 2 + 4 * (c - bytes[at]);
    }

    private static uint Write(Node node, string path, List<byte> output, Dictionary<string, uint> offsets)
    {
        path += node.Prefix;
        var children = node.Children.ToDictionary(p => p.Key, p => Write(p.Value, path + p.Key, output, offsets));
        var offset = (uint)output.Count;
        if (node.Prefix.Length > 0)
        {
            output.AddRange(Encoding.ASCII.GetBytes(node.Prefix));
            output.Add(0);
            offset |= KmodIndex.PrefixFlag;
        }
        if (children.Count > 0)
        {
            var (first, last) = (children.Keys.Min(), children.Keys.Max());
            output.AddRange([(byte)first, (byte)last]);
            for (var c = first; c <= last; c++) U32(output, children.GetValueOrDefault(c));
            offset |= KmodIndex.ChildrenFlag;
        }
        if (node.Values.Count > 0)
        {
            U32(output, (uint)node.Values.Count);
            foreach (var (priority, value) in node.Values)
            {
                U32(output, priority);
                output.AddRange(Encoding.ASCII.GetBytes(value));
                output.Add(0);
            }
            offset |= KmodIndex.ValuesFlag;
        }
        offsets[path] = offset;
        return offset;
    }

    private static void U32(List<byte> output, uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        output.AddRange(bytes);
    }
}
