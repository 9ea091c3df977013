using System.Runtime.InteropServices;
using AcceptD.Core.Matching;

namespace AcceptD.Core.Drivers;

/// <summary>One "alias PATTERN MODULE" line; Order is its position in the table (file order).</summary>
internal sealed record AliasEntry(Glob Pattern, string Module, int Order);

/// <summary>
/// A set of alias patterns with fast fnmatch lookup. Scanning all ~26,000 patterns of a distribution kernel per lookup
/// is far too slow, so every pattern is filed under one 8-character piece of literal text that any matching text must
/// contain (the rarest such piece of the pattern); a lookup slides over the text and checks only the patterns filed
/// under the pieces it finds. The text is framed by \u0001 and \u0002 so that the literal start and end of a pattern
/// ("pci:v..." or "...C52B") count as pieces too. Patterns without wildcards are looked up exactly.
/// </summary>
internal sealed class AliasTable
{
    private const int GramLength = 8;
    private const char Start = '\u0001', End = '\u0002';

    private readonly AliasEntry[] _entries;
    private readonly Dictionary<string, AliasEntry[]> _literal;
    private readonly Dictionary<ulong, AliasEntry[]> _byGram;
    private readonly AliasEntry[] _unindexed;

    private AliasTable(AliasEntry[] entries, Dictionary<string, AliasEntry[]> literal,
        Dictionary<ulong, AliasEntry[]> byGram, AliasEntry[] unindexed)
    {
        _entries = entries;
        _literal = literal;
        _byGram = byGram;
        _unindexed = unindexed;
    }

    public static readonly AliasTable Empty = Build([]);

    public IReadOnlyList<AliasEntry> Entries => _entries;

    /// <summary>Builds the table from (normalised pattern, normalised module) pairs in file order.</summary>
    public static AliasTable Build(IEnumerable<(string Pattern, string Module)> aliases)
    {
        var entries = aliases.Select((a, i) => new AliasEntry(Glob.Compile(a.Pattern), a.Module, i)).ToArray();
        var literal = new Dictionary<string, List<AliasEntry>>(StringComparer.Ordinal);
        var wild = new List<(AliasEntry Entry, ulong[] Grams)>();
        var gramCounts = new Dictionary<ulong, int>();
        foreach (var entry in entries)
        {
            if (entry.Pattern.IsLiteral)
            {
                // The runs hold the pattern's text with escapes resolved.
                var text = entry.Pattern.LiteralPrefix;
                (CollectionsMarshal.GetValueRefOrAddDefault(literal, text, out _) ??= []).Add(entry);
                continue;
            }
            var grams = GramsOf(entry.Pattern);
            foreach (var g in grams) CollectionsMarshal.GetValueRefOrAddDefault(gramCounts, g, out _)++;
            wild.Add((entry, grams));
        }

        var byGram = new Dictionary<ulong, List<AliasEntry>>();
        var unindexed = new List<AliasEntry>();
        foreach (var (entry, grams) in wild)
        {
            if (grams.Length == 0) { unindexed.Add(entry); continue; }
            var rarest = grams.MinBy(g => gramCounts[g]);
            (CollectionsMarshal.GetValueRefOrAddDefault(byGram, rarest, out _) ??= []).Add(entry);
        }
        return new AliasTable(entries,
            literal.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal),
            byGram.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()),
            unindexed.ToArray());
    }

    /// <summary>Every entry whose pattern matches the text, in table order.</summary>
    public List<AliasEntry> Match(string text)
    {
        var hits = new List<AliasEntry>();
        if (_entries.Length == 0) return hits;
        if (_literal.TryGetValue(text, out var exact)) hits.AddRange(exact);
        foreach (var e in _unindexed)
            if (e.Pattern.IsMatch(text)) hits.Add(e);

        ulong gram = 0;
        var run = 0;
        for (var i = -1; i <= text.Length; i++)
        {
            var c = i < 0 ? Start : i == text.Length ? End : text[i];
            if (c >= 0x80) { run = 0; continue; }
            gram = (gram << 8) | c;
            if (++run < GramLength || !_byGram.TryGetValue(gram, out var filed)) continue;
            foreach (var e in filed)
                if (e.Pattern.IsMatch(text) && !hits.Contains(e)) hits.Add(e);
        }
        hits.Sort((a, b) => a.Order.CompareTo(b.Order));
        return hits;
    }

    /// <summary>Modules of all matching entries, each once, in table order.</summary>
    public List<string> Modules(string text)
    {
        var modules = new List<string>();
        foreach (var e in Match(text))
            if (!modules.Contains(e.Module)) modules.Add(e.Module);
        return modules;
    }

    /// <summary>All 8-character ASCII windows of the pattern's literal runs, the first run framed by Start, the last by End.</summary>
    private static ulong[] GramsOf(Glob pattern)
    {
        var runs = pattern.LiteralRuns;
        var grams = new List<ulong>();
        for (var r = 0; r < runs.Count; r++)
        {
            var framed = (r == 0 ? Start.ToString() : "") + runs[r] + (r == runs.Count - 1 ? End.ToString() : "");
            ulong gram = 0;
            var run = 0;
            foreach (var c in framed)
            {
                if (c >= 0x80) { run = 0; continue; }
                gram = (gram << 8) | c;
                if (++run >= GramLength) grams.Add(gram);
            }
        }
        return grams.Distinct().ToArray();
    }
}
