using AcceptD.Core.Policy;

namespace AcceptD.Core.Tests.Policy;

/// <summary>Runs every line of tests/data/policies/rules.good and rules.bad through the parser (USBGuard style).</summary>
public class PolicyVectorTests
{
    private const string Expect = "# expect: ";

    public static TheoryData<string> GoodLines() => Lines("rules.good");

    public static TheoryData<string> BadLines() => Lines("rules.bad");

    [Theory]
    [MemberData(nameof(GoodLines))]
    public void Good_lines_parse(string line)
    {
        var parsed = PolicyParser.ParseFile("rules.good", line);
        Assert.Empty(parsed.Diagnostics);
        Assert.Single(parsed.Rules);
    }

    [Theory]
    [MemberData(nameof(BadLines))]
    public void Bad_lines_fail_with_the_expected_message(string line)
    {
        var parsed = PolicyParser.ParseFile("rules.bad", line);
        Assert.Empty(parsed.Rules);
        var expected = line[(line.LastIndexOf(Expect, StringComparison.Ordinal) + Expect.Length)..];
        Assert.Contains(expected, Assert.Single(parsed.Diagnostics).Message);
    }

    private static TheoryData<string> Lines(string file)
    {
        var lines = File.ReadAllLines(PolicyTestKit.RepositoryFile("tests/data/policies/" + file)).Where(l => l.Trim().Length > 0).ToList();
        Assert.NotEmpty(lines);
        return new TheoryData<string>(lines);
    }
}
