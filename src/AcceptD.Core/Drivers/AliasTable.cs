using System.Numerics;
using System.Runtime.InteropServices;
using AcceptD.Core.Matching;

namespace AcceptD.Core.Drivers;

/// <summary>One "alias PATTERN MODULE" line; Order is its position in the table (file order).</summary>
internal sealed class AliasEntry(string pattern, string module, int order)
{
    private Glob? _glob;

    public string Pattern => pattern;

    public string Module => module;

    public int Order => order;

    /// <summary>Compiled on first use: a lookup checks only a handful of the table's patterns.</summary>
    public Glob Glob => _glob ??= Glob.Compile(pattern);

    /// <summary>Whether the pattern's literal text can be read off directly (no escapes or bracket expressions).</summary>
    public bool IsSimple => pattern.AsSpan().IndexOfAny('[', '\\') < 0;

    public bool IsLiteral => IsSimple ? pattern.AsSpan().IndexOfAny('*', '?') < 0 : Glob.IsLiteral;
}

/// <summary>
/// A set of alias patterns with fast fnmatch lookup. Checking all ~26,000 patterns of a distribution kernel per lookup
/// is far too slow, so every pattern is filed under one piece of its literal text, 8 characters long (4 if it has no
/// such piece), that any matching text must contain: the rarest such piece of the pattern. A lookup slides over the
/// text and checks only the patterns filed under the pieces it finds. The text is framed by \u0001 and \u0002 so that
/// the literal start and end of a pattern ("pci:v..." or "...C52B") count as pieces too. Patterns without wildcards
/// are looked up exactly.
/// </summary>
internal sealed class AliasTable : IAliasIndex
{
    private const int Long = 8, Short = 4;
    private const ulong ShortMask = 0xFFFF_FFFF;
    private const char Start = '\u0001', End = '\u0002';

    private readonly AliasEntry[] _entries;
    private readonly Dictionary<string, List<AliasEntry>> _literal = new(StringComparer.Ordinal);
    private readonly Dictionary<ulong, List<AliasEntry>> _byLongPiece = new(PieceComparer.Instance);
    private readonly Dictionary<ulong, List<AliasEntry>> _byShortPiece = new(PieceComparer.Instance);
    private readonly List<AliasEntry> _unindexed;

    // One bit per piece hash (32 KB, stays in cache): most windows of a text are filed under nothing, and asking a
    // dictionary costs several times more than testing a bit.
    private readonly ulong[] _filter = new ulong[1 << 12];

    /// <summary>Builds the table from (normalised pattern, normalised module) pairs in file order.</summary>
    private AliasTable(IEnumerable<(string Pattern, string Module)> aliases)
    {
        _entries = aliases.Select((a, i) => new AliasEntry(a.Pattern, a.Module, i)).ToArray();
        var wild = new List<AliasEntry>();
        foreach (var entry in _entries)
        {
            if (!entry.IsLiteral) { wild.Add(entry); continue; }
            var text = entry.IsSimple ? entry.Pattern : entry.Glob.LiteralPrefix; // escapes resolved
            (CollectionsMarshal.GetValueRefOrAddDefault(_literal, text, out _) ??= []).Add(entry);
        }
        _unindexed = FileUnderRarestPiece(FileUnderRarestPiece(wild, Long, _byLongPiece), Short, _byShortPiece);
        foreach (var piece in _byLongPiece.Keys.Concat(_byShortPiece.Keys))
        {
            var bit = FilterBit(piece);
            _filter[bit >> 6] |= 1UL << bit;
        }
    }

    public static AliasTable Build(IEnumerable<(string Pattern, string Module)> aliases) => new(aliases);

    public static readonly AliasTable Empty = new([]);

    IReadOnlyList<(string Pattern, string Module)> IAliasIndex.Match(string text) => Match(text).Select(e => (e.Pattern, e.Module)).ToArray();

    public IEnumerable<string> AllModules() => _entries.Select(e => e.Module);

    /// <summary>Every entry whose pattern matches the text, in table order.</summary>
    public List<AliasEntry> Match(string text)
    {
        var hits = new List<AliasEntry>();
        if (_entries.Length == 0) return hits;
        if (_literal.TryGetValue(text, out var exact)) hits.AddRange(exact);
        foreach (var e in _unindexed) Check(e);

        ulong piece = 0;
        var length = 0;
        for (var i = -1; i <= text.Length; i++)
        {
            var c = i < 0 ? Start : i == text.Length ? End : text[i];
            if (c >= 0x80) { length = 0; continue; }
            piece = (piece << 8) | c;
            length++;
            if (length >= Short && MayBeFiled(piece & ShortMask) && _byShortPiece.TryGetValue(piece & ShortMask, out var shortFiled))
                foreach (var e in shortFiled) Check(e);
            if (length >= Long && MayBeFiled(piece) && _byLongPiece.TryGetValue(piece, out var filed))
                foreach (var e in filed) Check(e);
        }
        hits.Sort((a, b) => a.Order.CompareTo(b.Order));
        return hits;

        void Check(AliasEntry e)
        {
            if (e.Glob.IsMatch(text) && !hits.Contains(e)) hits.Add(e);
        }
    }

    /// <summary>Modules of all matching entries, each once, in table order.</summary>
    public List<string> Modules(string text)
    {
        var modules = new List<string>();
        foreach (var e in Match(text))
            if (!modules.Contains(e.Module)) modules.Add(e.Module);
        return modules;
    }

    private static int FilterBit(ulong piece) => (int)((piece * 0x9E3779B97F4A7C15UL) >> 46);

    private bool MayBeFiled(ulong piece)
    {
        var bit = FilterBit(piece);
        return (_filter[bit >> 6] & (1UL << bit)) != 0;
    }

    /// <summary>Files each entry under its rarest piece of the given length; returns the entries that have none.</summary>
    private static List<AliasEntry> FileUnderRarestPiece(List<AliasEntry> entries, int length, Dictionary<ulong, List<AliasEntry>> index)
    {
        // Approximate counts (pieces sharing a slot add up): exact counts of ~150,000 distinct pieces would cost more
        // than the rest of loading, and only the order matters.
        var counts = new int[BitOperations.RoundUpToPowerOf2((uint)Math.Max(1024, entries.Count * 8))];
        int Slot(ulong piece) => PieceComparer.Instance.GetHashCode(piece) & (counts.Length - 1);
        var pieces = new List<ulong>();
        foreach (var entry in entries)
        {
            CollectPieces(entry, length, pieces);
            foreach (var p in pieces) counts[Slot(p)]++;
        }
        var leftovers = new List<AliasEntry>();
        foreach (var entry in entries)
        {
            CollectPieces(entry, length, pieces);
            if (pieces.Count == 0) { leftovers.Add(entry); continue; }
            var rarest = pieces[0];
            var fewest = int.MaxValue;
            foreach (var p in pieces)
                if (counts[Slot(p)] is var count && count < fewest) (rarest, fewest) = (p, count);
            (CollectionsMarshal.GetValueRefOrAddDefault(index, rarest, out _) ??= []).Add(entry);
        }
        return leftovers;
    }

    /// <summary>
    /// All ASCII windows of the given length in the pattern's literal runs, the first run framed by Start, the last by
    /// End. Simple patterns are scanned as they are ('*' and '?' break runs), the rest through their compiled glob.
    /// </summary>
    private static void CollectPieces(AliasEntry entry, int length, List<ulong> pieces)
    {
        pieces.Clear();
        var mask = length == Long ? ulong.MaxValue : ShortMask;
        ulong piece = 0;
        var run = 0;
        if (entry.IsSimple)
        {
            Push(Start);
            foreach (var c in entry.Pattern) Push(c);
            Push(End);
            return;
        }
        var runs = entry.Glob.LiteralRuns;
        for (var r = 0; r < runs.Count; r++)
        {
            run = 0;
            if (r == 0) Push(Start);
            foreach (var c in runs[r]) Push(c);
            if (r == runs.Count - 1) Push(End);
        }

        void Push(char c)
        {
            if (c is >= (char)0x80 or '*' or '?') { run = 0; return; }
            piece = (piece << 8) | c;
            if (++run >= length) pieces.Add(piece & mask);
        }
    }

    /// <summary>ulong's own hash XORs the two halves, so "0000" + "1AF4" collides with "1AF4" + "0000": mix instead.</summary>
    private sealed class PieceComparer : IEqualityComparer<ulong>
    {
        public static readonly PieceComparer Instance = new();

        public bool Equals(ulong a, ulong b) => a == b;

        public int GetHashCode(ulong piece) => (int)((piece * 0x9E3779B97F4A7C15UL) >> 32);
    }
}
