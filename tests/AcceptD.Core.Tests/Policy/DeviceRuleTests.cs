using AcceptD.Core.Policy;
using static AcceptD.Core.Tests.Policy.PolicyTestKit;

namespace AcceptD.Core.Tests.Policy;

public class DeviceRuleTests
{
    [Fact]
    public void Describes_a_pci_device_with_its_ids()
    {
        var device = Pci("0000:00:03.0", "1af4", "1000", 0x020000);
        Assert.Equal("allow bus=pci id=1af4:1000 subsystem=1af4:0001 class=0x020000 name=0000:00:03.0", DeviceRule.Describe(device));
        Assert.Equal("deny bus=pci id=1af4:1000 subsystem=1af4:0001 class=0x020000 name=0000:00:03.0", DeviceRule.Describe(device, Verdict.Deny));
    }

    [Fact]
    public void The_description_matches_exactly_this_device()
    {
        var device = Plain("platform", "odd*name[1]?");
        var policy = Load(DeviceRule.Describe(device) + "\ndefault deny");
        var evaluator = new PolicyEvaluator(policy);
        Assert.Equal(Verdict.Allow, evaluator.Decide(Facts(device)).Verdict);
        Assert.Equal(Verdict.Deny, evaluator.Decide(Facts(Plain("platform", "odd-name11"))).Verdict);
        Assert.Equal(Verdict.Deny, evaluator.Decide(Facts(Plain("pnp", device.Name))).Verdict);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a*b?c[d]\\e", "a\\*b\\?c\\[d]\\\\e")]
    public void Escapes_glob_characters(string text, string escaped) =>
        Assert.Equal(escaped, DeviceRule.EscapeGlob(text));
}
