using AcceptD.Core.Policy;

namespace AcceptD.Core.Tests.Policy;

public class RuleShadowingTests
{
    [Fact]
    public void An_identical_rule_is_a_duplicate()
    {
        var errors = PolicyTestKit.Errors("allow bus=pci id=1af4:1000\n# gap\nallow id=1AF4:1000 bus=pci\ndefault deny");
        Assert.Equal("test.rules:3:1: duplicate of rule at test.rules:1", Assert.Single(errors).ToString());
    }

    [Theory]
    [InlineData("allow bus=pci", "deny bus=pci id=1af4:1000")]
    [InlineData("allow bus=pci reason=a", "allow bus=pci reason=b")]
    [InlineData("deny", "allow bus=virtio module=virtio_net")]
    [InlineData("deny bus=*", "allow bus=virtio")]
    [InlineData("deny name=*", "allow bus=virtio")]
    [InlineData("deny modalias=*", "allow modalias=pci:v* bus=pci")]
    [InlineData("deny attr{x}=*", "allow attr{x}=1")]
    [InlineData("deny module=*", "allow bus=virtio module=virtio_net")]
    [InlineData("ignore prebound=yes", "deny bus=platform prebound=yes")]
    public void A_rule_covered_by_an_earlier_one_is_unreachable(string earlier, string later)
    {
        var errors = PolicyTestKit.Errors($"{earlier}\n{later}\ndefault deny");
        var error = Assert.Single(errors);
        Assert.Equal(2, error.Location!.Line);
        Assert.Contains($"unreachable: the rule at test.rules:1 ({earlier}) matches every device this rule matches", error.Message);
    }

    [Theory]
    [InlineData("allow bus=pci id=1af4:1000", "deny bus=pci")]
    [InlineData("deny modalias=*", "allow bus=virtio")]
    [InlineData("deny attr{x}=*", "allow bus=virtio")]
    [InlineData("deny module=*", "allow bus=virtio")]
    [InlineData("allow id=1af4:*", "deny id=1af4:1000")]
    [InlineData("allow bus=pc?", "deny bus=pci")]
    [InlineData("ignore prebound=yes", "deny prebound=no")]
    public void A_rule_that_can_still_match_is_fine(string earlier, string later) =>
        Assert.NotNull(PolicyTestKit.Load($"{earlier}\n{later}\ndefault deny"));

    [Fact]
    public void Reports_the_earliest_rule_that_shadows()
    {
        var errors = PolicyTestKit.Errors("deny bus=usb\nallow bus=pci\ndeny name=x bus=pci\ndeny name=x bus=pci\ndefault deny");
        Assert.Equal(["test.rules:3:1", "test.rules:4:1"], errors.Select(e => e.Location!.ToString()));
        Assert.All(errors, e => Assert.Contains("rule at test.rules:2 ", e.Message));
    }

    [Fact]
    public void Works_across_files()
    {
        var result = PolicyLoader.FromSources([("10-a.rules", "allow bus=pci"), ("50-b.rules", "deny bus=pci class=0x030000\ndefault deny")]);
        Assert.Equal("50-b.rules:1:1: unreachable: the rule at 10-a.rules:1 (allow bus=pci) matches every device this rule matches",
            Assert.Single(result.Diagnostics).ToString());
    }

    [Fact]
    public void Ten_thousand_distinct_rules_are_all_reachable()
    {
        var text = string.Join('\n', Enumerable.Range(0, 10_000).Select(i => $"allow bus=pci name=0000:{i / 256:x2}:{i % 256 / 8:x2}.{i % 8}"));
        Assert.Equal(10_000, PolicyTestKit.Load(text + "\ndefault deny").Rules.Length);
    }
}
