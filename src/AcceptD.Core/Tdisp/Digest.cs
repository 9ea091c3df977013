using System.Security.Cryptography;

namespace AcceptD.Core.Tdisp;

/// <summary>A reference digest as a policy writes it: "sha384:ab12…" (algorithm sha256, sha384 or sha512; hex any case).</summary>
public sealed record Digest(string Algorithm, string Hex)
{
    public static readonly IReadOnlyList<string> Algorithms = ["sha256", "sha384", "sha512"];

    /// <summary>Parses "ALG:HEX"; null with an error naming the problem otherwise.</summary>
    public static Digest? Parse(string text, out string? error)
    {
        var colon = text.IndexOf(':');
        var alg = colon < 0 ? "" : text[..colon].ToLowerInvariant();
        var hex = colon < 0 ? "" : text[(colon + 1)..].ToLowerInvariant();
        error = null;
        if (!Algorithms.Contains(alg))
            error = $"'{text}': expected ALG:HEX with ALG one of {string.Join(", ", Algorithms)}";
        else if (hex.Length != SizeOf(alg) * 2 || !hex.All(Uri.IsHexDigit))
            error = $"'{text}': {alg} needs {SizeOf(alg) * 2} hex digits";
        return error is null ? new Digest(alg, hex) : null;
    }

    public static Digest Of(string algorithm, ReadOnlySpan<byte> data) =>
        new(algorithm, Convert.ToHexStringLower(Hash(algorithm, data)));

    public static byte[] Hash(string algorithm, ReadOnlySpan<byte> data) => algorithm switch
    {
        "sha256" => SHA256.HashData(data),
        "sha384" => SHA384.HashData(data),
        "sha512" => SHA512.HashData(data),
        _ => throw new ArgumentException($"unknown digest algorithm {algorithm}", nameof(algorithm)),
    };

    public static int SizeOf(string algorithm) => algorithm switch
    {
        "sha256" => 32, "sha384" => 48, "sha512" => 64,
        _ => throw new ArgumentException($"unknown digest algorithm {algorithm}", nameof(algorithm)),
    };

    public bool Matches(ReadOnlySpan<byte> data) =>
        string.Equals(Hex, Convert.ToHexStringLower(Hash(Algorithm, data)), StringComparison.OrdinalIgnoreCase);

    public override string ToString() => $"{Algorithm}:{Hex.ToLowerInvariant()}";
}
