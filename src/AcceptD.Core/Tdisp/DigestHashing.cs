using System.Security.Cryptography;
using AcceptD.Core.Policy;

namespace AcceptD.Core.Tdisp;

/// <summary>Computing and comparing the policy's <see cref="Digest"/>s over evidence bytes.</summary>
public static class DigestHashing
{
    public static Digest Of(string algorithm, ReadOnlySpan<byte> data) => new(algorithm, Convert.ToHexStringLower(Hash(algorithm, data)));

    public static byte[] Hash(string algorithm, ReadOnlySpan<byte> data) => algorithm switch
    {
        "sha256" => SHA256.HashData(data),
        "sha384" => SHA384.HashData(data),
        "sha512" => SHA512.HashData(data),
        _ => throw new ArgumentException($"unknown digest algorithm {algorithm}", nameof(algorithm)),
    };

    public static int SizeOf(string algorithm) => Digest.HexLengths[algorithm] / 2;

    public static bool Matches(this Digest digest, ReadOnlySpan<byte> data) =>
        string.Equals(digest.Hex, Convert.ToHexStringLower(Hash(digest.Algorithm, data)), StringComparison.OrdinalIgnoreCase);

    /// <summary>How a rule's reference values read in a reason: "measurements=… certroot=… [report=…]".</summary>
    public static string Describe(this TdispEvidence reference) =>
        $"measurements={string.Join(',', reference.Measurements)} certroot={reference.CertRoot}" +
        (reference.Report is null ? "" : $" report={reference.Report}");
}
