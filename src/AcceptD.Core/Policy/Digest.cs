namespace AcceptD.Core.Policy;

/// <summary>A digest named by a tdisp rule, e.g. "sha384:ab12…": algorithm and lower-case hex.</summary>
public sealed record Digest(string Algorithm, string Hex)
{
    /// <summary>Hex length of each accepted algorithm.</summary>
    public static readonly IReadOnlyDictionary<string, int> HexLengths =
        new Dictionary<string, int> { ["sha256"] = 64, ["sha384"] = 96, ["sha512"] = 128 };

    public byte[] Bytes => Convert.FromHexString(Hex);

    /// <summary>Parses "ALG:HEX"; null with an explanation when it is not a digest AcceptD accepts.</summary>
    public static Digest? TryParse(string text, out string? error)
    {
        error = null;
        var colon = text.IndexOf(':');
        var algorithm = colon < 0 ? text : text[..colon];
        if (colon < 0 || !HexLengths.TryGetValue(algorithm, out var length))
        {
            error = $"bad digest '{text}': expected sha256:HEX, sha384:HEX or sha512:HEX";
            return null;
        }
        var hex = text[(colon + 1)..];
        if (hex.Length != length || !hex.All(char.IsAsciiHexDigit))
        {
            error = $"bad digest '{text}': {algorithm} needs {length} hex digits, found {hex.Length} characters";
            return null;
        }
        return new Digest(algorithm, hex.ToLowerInvariant());
    }

    public override string ToString() => $"{Algorithm}:{Hex}";
}
