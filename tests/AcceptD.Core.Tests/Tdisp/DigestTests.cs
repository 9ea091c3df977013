using AcceptD.Core.Tdisp;

namespace AcceptD.Core.Tests.Tdisp;

public sealed class DigestTests
{
    [Fact]
    public void ParsesAndNormalisesCase()
    {
        var hex = new string('A', 96);
        var digest = Digest.Parse("SHA384:" + hex, out var error);

        Assert.Null(error);
        Assert.Equal(new Digest("sha384", hex.ToLowerInvariant()), digest);
    }

    [Theory]
    [InlineData("sha384", "needs ALG:HEX", "expected ALG:HEX")]
    [InlineData("md5:00112233445566778899aabbccddeeff", "", "ALG one of sha256, sha384, sha512")]
    [InlineData("sha256:abcd", "", "sha256 needs 64 hex digits")]
    public void RejectsMalformedText(string text, string _, string message)
    {
        Assert.Null(Digest.Parse(text, out var error));
        Assert.Contains(message, error);
    }

    [Fact]
    public void MatchesTheHashOfTheData()
    {
        var digest = Digest.Of("sha512", "blob"u8);

        Assert.True(digest.Matches("blob"u8));
        Assert.False(digest.Matches("blob2"u8));
        Assert.Equal(128, digest.Hex.Length);
    }
}
