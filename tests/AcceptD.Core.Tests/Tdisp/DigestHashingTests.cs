using System.Collections.Immutable;
using AcceptD.Core.Policy;
using AcceptD.Core.Tdisp;

namespace AcceptD.Core.Tests.Tdisp;

public sealed class DigestHashingTests
{
    [Fact]
    public void Matches_the_hash_of_the_data_in_any_case()
    {
        var digest = DigestHashing.Of("sha512", "blob"u8);

        Assert.Equal(128, digest.Hex.Length);
        Assert.True(digest.Matches("blob"u8));
        Assert.True((digest with { Hex = digest.Hex.ToUpperInvariant() }).Matches("blob"u8));
        Assert.False(digest.Matches("blob2"u8));
    }

    [Theory]
    [InlineData("sha256", 32)]
    [InlineData("sha384", 48)]
    [InlineData("sha512", 64)]
    public void Sizes_follow_the_policys_algorithms(string algorithm, int bytes)
    {
        Assert.Equal(bytes, DigestHashing.SizeOf(algorithm));
        Assert.Equal(bytes, DigestHashing.Hash(algorithm, []).Length);
    }

    [Fact]
    public void Describes_reference_values_as_a_rule_writes_them()
    {
        var a = new Digest("sha256", new string('a', 64));
        var b = new Digest("sha384", new string('b', 96));

        Assert.Equal($"measurements={a},{b} certroot={a}", new TdispEvidence(ImmutableArray.Create(a, b), a, null).Describe());
        Assert.EndsWith($" report={b}", new TdispEvidence([a], a, b).Describe());
    }
}
