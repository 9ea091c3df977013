using AcceptD.Core.Matching;
using AcceptD.Core.Policy;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AcceptD.Core.Tests.Policy;

public class RulePrinterTests
{
    private static readonly SourceLocation Here = new("gen.rules", 1, 1);

    [Theory]
    [InlineData("abc", "abc")]
    [InlineData("a b", "\"a b\"")]
    [InlineData("a\tb", "\"a\tb\"")]
    [InlineData("a#b", "\"a#b\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData("back\\slash", "back\\slash")]
    [InlineData("back\\ slash", "\"back\\\\ slash\"")]
    [InlineData("", "\"\"")]
    public void Values_are_bare_when_possible_and_quoted_otherwise(string value, string printed) =>
        Assert.Equal(printed, RulePrinter.FormatValue(value));

    [Fact]
    public void Prints_in_canonical_order_with_reason_last()
    {
        var rule = PolicyParser.ParseFile("t", "allow reason=x driver=d name=n bus=pci id=1AF4:1000 attr{b}=2 attr{a}=1").Rules.Single();
        Assert.Equal("allow bus=pci id=1af4:1000 name=n attr{a}=1 attr{b}=2 driver=d reason=\"x\"", RulePrinter.Print(rule));
        Assert.Equal(RulePrinter.Print(rule), rule.ToString());
    }

    private static readonly Gen<char> ValueChar =
        Gen.Elements("abcXYZ019:._-/*?[]!^\\\"# \t{}=,".ToCharArray());

    private static readonly Gen<string> Text =
        Gen.ArrayOf(ValueChar).Where(c => c.Length > 0).Select(c => new string(c));

    private static readonly Gen<string> Pattern = Text.Where(t => Glob.Validate(t) is null);

    private static readonly Gen<string> HexHalf =
        Gen.Elements("1af4", "10[0-7]?", "*", "ABCD", "00?0");

    private static readonly Gen<Digest> AnyDigest =
        from algorithm in Gen.Elements("sha256", "sha384", "sha512")
        from digit in Gen.Elements("0123456789abcdef".ToCharArray())
        select new Digest(algorithm, new string(digit, Digest.HexLengths[algorithm]));

    private static Gen<Condition> ConditionFor(ConditionKey key) => key switch
    {
        ConditionKey.Id or ConditionKey.Subsystem =>
            from v in HexHalf from d in HexHalf select new Condition(key, (v + ":" + d).ToLowerInvariant()),
        ConditionKey.Vendor or ConditionKey.Device => HexHalf.Select(h => new Condition(key, h.ToLowerInvariant())),
        ConditionKey.Class =>
            from value in Gen.Choose(0, 0xffffff)
            from full in Gen.Elements(true, false)
            select new Condition(key, full ? $"0x{value:x6}" : $"0x{value:x6}/0x{value ^ 0xf0f0f0:x6}"),
        ConditionKey.Prebound or ConditionKey.Tdisp => Gen.Elements("yes", "no").Select(v => new Condition(key, v)),
        ConditionKey.Origin => Gen.Elements("coldplug", "hotplug").Select(v => new Condition(key, v)),
        ConditionKey.Attribute => from name in Gen.Elements("vendor", "numa_node", "a-b.c") from p in Pattern select new Condition(key, p, name),
        _ => Pattern.Select(p => new Condition(key, p)),
    };

    private static readonly Gen<Rule> AnyRule =
        from target in Gen.Elements(Verdict.Allow, Verdict.Deny, Verdict.Ignore, Verdict.Tdisp)
        from keys in Gen.SubListOf(Enum.GetValues<ConditionKey>())
        from conditions in FsCheck.FSharp.Gen.SequenceToList(keys.Select(ConditionFor))
        from reason in Gen.OneOf(Gen.Constant<string?>(null), Text.Select(t => (string?)t))
        from measurements in Gen.NonEmptyListOf(AnyDigest)
        from certRoot in AnyDigest
        from report in Gen.OneOf(Gen.Constant<Digest?>(null), AnyDigest.Select(d => (Digest?)d))
        from prepare in Gen.Elements(null, "prep_fw", "mlx5-prep")
        select new Rule(target, conditions, Here, "", reason,
            target == Verdict.Tdisp ? new TdispEvidence([.. measurements], certRoot, report) : null,
            prepare: target == Verdict.Tdisp ? prepare : null);

    [Property]
    public Property Parsing_the_printed_rule_gives_the_same_rule() =>
        Prop.ForAll(AnyRule.ToArbitrary(), rule =>
        {
            var text = RulePrinter.Print(rule);
            var parsed = PolicyParser.ParseFile("gen.rules", text);
            return (parsed.Diagnostics.IsEmpty && parsed.Rules.Single().SameAs(rule)).Label(text);
        });

    [Fact]
    public void Round_trips_a_default_line()
    {
        var rule = PolicyParser.ParseFile("t", "default   ignore   reason=\"a \\\"b\\\"\"").Rules.Single();
        Assert.True(PolicyParser.ParseFile("t", RulePrinter.Print(rule)).Rules.Single().SameAs(rule));
    }
}
