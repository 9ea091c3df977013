using AcceptD.Core.Matching;
using FsCheck.Xunit;

namespace AcceptD.Core.Tests.Matching;

public class GlobTests
{
    [Theory]
    [InlineData("pci:v00001AF4d*sv*sd*bc*sc*i*", "pci:v00001AF4d00001000sv00001AF4sd00000001bc02sc00i00", true)]
    [InlineData("pci:v00001AF4d*", "pci:v00008086d00001000", false)]
    [InlineData("a?c", "abc", true)]
    [InlineData("a?c", "ac", false)]
    [InlineData("usb:v*p*d*dc*dsc*dp*ic03isc01ip0[12]in*", "usb:v046Dp0001d0100dc00dsc00dp00ic03isc01ip02in00", true)]
    [InlineData("[!a]x", "ax", false)]
    [InlineData("[!a]x", "bx", true)]
    [InlineData("[a-c]", "b", true)]
    [InlineData("[[:digit:]]z", "7z", true)]
    [InlineData("a[b", "a[b", true)]
    [InlineData("a\\*", "a*", true)]
    [InlineData("a\\*", "ab", false)]
    [InlineData("*/x", "a/b/x", true)]
    [InlineData("", "", true)]
    [InlineData("*", "", true)]
    [InlineData("[]]", "]", true)]
    public void Matches_like_fnmatch(string pattern, string text, bool expected) =>
        Assert.Equal(expected, Glob.Compile(pattern).IsMatch(text));

    [Fact]
    public void Counts_wildcards_and_literal_prefix()
    {
        var glob = Glob.Compile("pci:v00001AF4d*sv*");
        Assert.Equal(2, glob.WildcardCount);
        Assert.Equal("pci:v00001AF4d", glob.LiteralPrefix);
    }

    [Theory]
    [InlineData("pci:v00001AF4d*sv*", new[] { "pci:v00001AF4d", "sv", "" })]
    [InlineData("*x?y[ab]z", new[] { "", "x", "y", "z" })]
    [InlineData("a\\*b", new[] { "a*b" })]
    [InlineData("", new[] { "" })]
    public void Splits_literal_runs_at_wildcards(string pattern, string[] runs) =>
        Assert.Equal(runs, Glob.Compile(pattern).LiteralRuns);

    [Fact]
    public void Validate_reports_unclosed_bracket() =>
        Assert.Contains("unclosed '['", Glob.Validate("pci:v[00"));

    [Property]
    public bool A_literal_pattern_matches_exactly_itself(string text)
    {
        text ??= "";
        var escaped = string.Concat(text.Select(c => c is '*' or '?' or '[' or '\\' ? "\\" + c : c.ToString()));
        return Glob.Compile(escaped).IsMatch(text) && !Glob.Compile(escaped).IsMatch(text + "x");
    }

    [Property]
    public bool Star_matches_everything_and_never_throws(string pattern, string text)
    {
        Glob.Compile(pattern ?? "").IsMatch(text ?? "");
        return Glob.Compile("*").IsMatch(text ?? "");
    }
}
