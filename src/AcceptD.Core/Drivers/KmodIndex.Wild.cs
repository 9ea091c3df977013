using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using AcceptD.Core.Matching;

namespace AcceptD.Core.Drivers;

/// <summary>The wildcard search of modules.alias.bin and its kin (index_mm_searchwild), and a walk of the whole trie.</summary>
internal sealed partial class KmodIndex
{
    private static readonly SearchValues<byte> Wildcards = SearchValues.Create("*?["u8);

    /// <summary>
    /// index_mm_searchwild(): the values of every key that, read as an fnmatch pattern, matches the text, in kmod's
    /// order: by priority, and among equal priorities the value found last first (add_value() inserts before the
    /// first value of the same priority). Along the literal path of the text, the subtrees under '*', '?' and '['
    /// are searched whole, in that order, before going deeper; within a subtree children come before the node.
    /// </summary>
    public List<IndexValue> SearchWild(string text)
    {
        var key = Encoding.UTF8.GetBytes(text);
        var found = new List<IndexValue>();
        var budget = new Budget(this);
        var i = 0;
        for (var node = ReadNode(_root, ref budget); node is { } n; i++)
        {
            var prefix = Prefix(n);
            var wild = prefix.IndexOfAny(Wildcards);
            if (!key.AsSpan(i).StartsWith(wild < 0 ? prefix : prefix[..wild])) return found;
            if (wild >= 0)
            {
                Walk(n, wild, [], key, i + wild, found, ref budget);
                return found;
            }
            i += prefix.Length;
            foreach (var c in "*?["u8)
                if (Child(n, c, ref budget) is { } child) Walk(child, 0, [c], key, i, found, ref budget);
            if (i == key.Length)
            {
                foreach (var value in Values(n, text)) Insert(found, value);
                return found;
            }
            node = Child(n, key[i], ref budget);
        }
        return found;
    }

    /// <summary>Every key and value of the index (index_mm_dump), in no particular order.</summary>
    public List<IndexValue> All()
    {
        var all = new List<IndexValue>();
        var budget = new Budget(this);
        if (ReadNode(_root, ref budget) is { } root) Walk(root, 0, [], null, 0, all, ref budget);
        return all;
    }

    /// <summary>
    /// index_mm_searchwild_all(), without recursion (a hostile file cannot exhaust the stack): walks the subtree from
    /// the node's prefix character <paramref name="skip"/> on, the pattern so far starting with
    /// <paramref name="start"/>, and adds the values of every node whose pattern matches the key from
    /// <paramref name="at"/> on (every node, for a null key).
    /// </summary>
    private void Walk(Node node, int skip, ReadOnlySpan<byte> start, byte[]? key, int at, List<IndexValue> found, ref Budget budget)
    {
        var head = key is null ? "" : Encoding.UTF8.GetString(key, 0, at);
        var rest = key is null ? "" : Encoding.UTF8.GetString(key, at, key.Length - at);
        var pattern = new List<byte>(64);
        pattern.AddRange(start);
        var stack = new Stack<(Node Node, int Next, int Mark)>();
        Enter(node, skip, pattern.Count);
        while (stack.TryPop(out var frame))
        {
            if (frame.Next <= frame.Node.Last)
            {
                stack.Push(frame with { Next = frame.Next + 1 });
                var mark = pattern.Count;
                if (Child(frame.Node, frame.Next, ref budget) is not { } child) continue;
                pattern.Add((byte)frame.Next);
                Enter(child, 0, mark);
                continue;
            }
            if (frame.Node.ValueCount > 0)
            {
                var text = Encoding.UTF8.GetString(CollectionsMarshal.AsSpan(pattern));
                if (key is null) found.AddRange(Values(frame.Node, text));
                else if (Glob.Compile(text).IsMatch(rest))
                    foreach (var value in Values(frame.Node, head + text)) Insert(found, value);
            }
            pattern.RemoveRange(frame.Mark, pattern.Count - frame.Mark);
        }

        void Enter(Node n, int from, int mark)
        {
            pattern.AddRange(Prefix(n)[from..]);
            stack.Push((n, n.First, mark));
        }
    }

    /// <summary>kmod's add_value(): before the first value whose priority is not lower.</summary>
    private static void Insert(List<IndexValue> values, IndexValue value)
    {
        var at = values.FindIndex(v => v.Priority >= value.Priority);
        values.Insert(at < 0 ? values.Count : at, value);
    }
}
