using System.Security.Cryptography;

namespace AcceptD.Core.Measurement;

/// <summary>
/// The hash of a register bank: SHA-384 for TDX RTMRs (and the log without a register), SHA-256 for a TPM PCR bank.
/// AlgorithmId is the TCG TPM_ALG_ID written in the log's digests.
/// </summary>
public sealed record MeasurementBank(string Name, ushort AlgorithmId, int DigestSize)
{
    public static readonly MeasurementBank Sha256 = new("sha256", 0x000B, 32);
    public static readonly MeasurementBank Sha384 = new("sha384", 0x000C, 48);

    public static MeasurementBank? FromAlgorithmId(ushort id) =>
        id == Sha256.AlgorithmId ? Sha256 : id == Sha384.AlgorithmId ? Sha384 : null;

    public byte[] Hash(ReadOnlySpan<byte> data) => DigestSize == 32 ? SHA256.HashData(data) : SHA384.HashData(data);

    /// <summary>A register after extending <paramref name="digest"/>: H(old || digest), as both TPMs and RTMRs do.</summary>
    public byte[] Extend(ReadOnlySpan<byte> register, ReadOnlySpan<byte> digest)
    {
        Span<byte> both = stackalloc byte[DigestSize * 2];
        register.CopyTo(both);
        digest.CopyTo(both[DigestSize..]);
        return Hash(both);
    }

    /// <summary>The value a register holds at boot before anything extends it (PCR 0–16, 23 and RTMRs start at zero).</summary>
    public byte[] Initial => new byte[DigestSize];
}
