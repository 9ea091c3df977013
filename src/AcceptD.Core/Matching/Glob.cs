namespace AcceptD.Core.Matching;

/// <summary>
/// A compiled shell pattern with the semantics of glibc fnmatch(pattern, text, 0), which kmod uses for
/// modules.alias: '*' (also across '/'), '?', bracket expressions with '!'/'^', ranges and [:class:],
/// and backslash quoting. No case folding. An unclosed '[' stands for itself, as in fnmatch.
/// </summary>
public sealed class Glob
{
    private enum Kind : byte { Literal, Any, Star, Set }

    private readonly record struct Token(Kind Kind, char Ch = '\0', SetMatcher? Set = null);

    private readonly Token[] _tokens;

    public string Pattern { get; }

    /// <summary>Number of wildcard tokens ('*', '?', sets): fewer means more specific (libvirt's tie-break).</summary>
    public int WildcardCount { get; }

    /// <summary>Literal text before the first wildcard; lets indexes skip most patterns cheaply.</summary>
    public string LiteralPrefix => LiteralRuns[0];

    /// <summary>
    /// The literal text between wildcards, in order: "a*b?c" gives [a, b, c], "*x*" gives ["", x, ""].
    /// The first run must start the text and the last must end it; every run must occur in a matching text.
    /// </summary>
    public IReadOnlyList<string> LiteralRuns { get; }

    public bool IsLiteral => WildcardCount == 0;

    private Glob(string pattern, Token[] tokens)
    {
        Pattern = pattern;
        _tokens = tokens;
        WildcardCount = tokens.Count(t => t.Kind != Kind.Literal);
        // Built without intermediate collections: module indexes compile tens of thousands of patterns at load.
        var runs = new string[WildcardCount + 1];
        Span<char> run = tokens.Length <= 256 ? stackalloc char[tokens.Length] : new char[tokens.Length];
        int r = 0, length = 0;
        foreach (var t in tokens)
        {
            if (t.Kind == Kind.Literal) { run[length++] = t.Ch; continue; }
            runs[r++] = new string(run[..length]);
            length = 0;
        }
        runs[r] = new string(run[..length]);
        LiteralRuns = runs;
    }

    public static Glob Compile(string pattern)
    {
        var tokens = new Token[pattern.Length];
        var n = 0;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*':
                    if (n == 0 || tokens[n - 1].Kind != Kind.Star) tokens[n++] = new Token(Kind.Star);
                    break;
                case '?':
                    tokens[n++] = new Token(Kind.Any);
                    break;
                case '[' when SetMatcher.TryParse(pattern, i, out var set, out var end):
                    tokens[n++] = new Token(Kind.Set, Set: set);
                    i = end;
                    break;
                case '\\' when i + 1 < pattern.Length:
                    tokens[n++] = new Token(Kind.Literal, pattern[++i]);
                    break;
                default:
                    tokens[n++] = new Token(Kind.Literal, c);
                    break;
            }
        }
        if (n != tokens.Length) Array.Resize(ref tokens, n);
        return new Glob(pattern, tokens);
    }

    /// <summary>Describes why a pattern is suspicious for a policy author (unclosed bracket, empty set); null if fine.</summary>
    public static string? Validate(string pattern)
    {
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\') { i++; continue; }
            if (pattern[i] != '[') continue;
            if (!SetMatcher.TryParse(pattern, i, out _, out var end))
                return $"unclosed '[' at offset {i} in pattern '{pattern}'";
            i = end;
        }
        return null;
    }

    public static bool IsMatch(string pattern, string text) => Compile(pattern).IsMatch(text);

    /// <summary>Iterative matcher with single-star backtracking: linear for typical patterns, no recursion.</summary>
    public bool IsMatch(ReadOnlySpan<char> text)
    {
        var tokens = _tokens;
        int t = 0, s = 0, starT = -1, starS = 0;
        while (s < text.Length)
        {
            if (t < tokens.Length)
            {
                var tok = tokens[t];
                if (tok.Kind == Kind.Star) { starT = t++; starS = s; continue; }
                if (tok.Kind switch
                {
                    Kind.Literal => tok.Ch == text[s],
                    Kind.Any => true,
                    _ => tok.Set!.Contains(text[s]),
                })
                {
                    t++; s++; continue;
                }
            }
            if (starT < 0) return false;
            t = starT + 1;
            s = ++starS;
        }
        while (t < tokens.Length && tokens[t].Kind == Kind.Star) t++;
        return t == tokens.Length;
    }

    public override string ToString() => Pattern;

    private sealed class SetMatcher
    {
        private readonly bool _negated;
        private readonly List<(char From, char To)> _ranges = [];
        private readonly List<Func<char, bool>> _classes = [];

        private SetMatcher(bool negated) => _negated = negated;

        public bool Contains(char c)
        {
            var hit = false;
            foreach (var (from, to) in _ranges)
                if (c >= from && c <= to) { hit = true; break; }
            if (!hit)
                foreach (var cls in _classes)
                    if (cls(c)) { hit = true; break; }
            return hit != _negated;
        }

        /// <summary>Parses the bracket expression starting at pattern[start] == '['; end is the index of its ']'.</summary>
        public static bool TryParse(string pattern, int start, out SetMatcher set, out int end)
        {
            var i = start + 1;
            var negated = i < pattern.Length && pattern[i] is '!' or '^';
            if (negated) i++;
            set = new SetMatcher(negated);
            end = -1;
            var first = true;
            while (i < pattern.Length)
            {
                var c = pattern[i];
                if (c == ']' && !first) { end = i; return true; }
                first = false;
                if (c == '[' && i + 1 < pattern.Length && pattern[i + 1] == ':')
                {
                    var close = pattern.IndexOf(":]", i + 2, StringComparison.Ordinal);
                    if (close > 0 && CharClass(pattern[(i + 2)..close]) is { } cls)
                    {
                        set._classes.Add(cls);
                        i = close + 2;
                        continue;
                    }
                }
                if (c == '\\' && i + 1 < pattern.Length) c = pattern[++i];
                if (i + 2 < pattern.Length && pattern[i + 1] == '-' && pattern[i + 2] != ']')
                {
                    var to = pattern[i + 2];
                    var skip = 3;
                    if (to == '\\' && i + 3 < pattern.Length) { to = pattern[i + 3]; skip = 4; }
                    set._ranges.Add((c, to));
                    i += skip;
                    continue;
                }
                set._ranges.Add((c, c));
                i++;
            }
            return false;
        }

        private static Func<char, bool>? CharClass(string name) => name switch
        {
            "alpha" => char.IsAsciiLetter,
            "digit" => char.IsAsciiDigit,
            "alnum" => char.IsAsciiLetterOrDigit,
            "upper" => char.IsAsciiLetterUpper,
            "lower" => char.IsAsciiLetterLower,
            "xdigit" => char.IsAsciiHexDigit,
            "space" => c => c is ' ' or '\t' or '\n' or '\r' or '\f' or '\v',
            "punct" => c => c is > ' ' and < '\x7f' && !char.IsAsciiLetterOrDigit(c),
            _ => null,
        };
    }
}
