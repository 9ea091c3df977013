using AcceptD.Core.Policy;
using static AcceptD.Core.Tests.Policy.PolicyTestKit;

namespace AcceptD.Core.Tests.Policy;

/// <summary>Policy text and device names that try to break the language or the operator's terminal.</summary>
public class HostilePolicyTextTests
{
    [Fact]
    public void A_bare_value_starting_with_a_single_quote_is_an_error_with_a_hint()
    {
        var error = Assert.Single(Errors("allow name='abc reason=x\ndefault deny"));
        Assert.Equal("test.rules:1:12: a value cannot start with a single quote (it would match the quote itself): use double quotes, \"...\"", error.ToString());
        Assert.NotNull(Load("allow name=\"'abc\" reason=x\ndefault deny")); // quoted, it is the author's literal
    }

    [Fact]
    public void A_generated_rule_for_a_device_named_with_a_newline_stays_one_line_and_matches_that_device()
    {
        var device = Plain("platform", "evil\nallow bus=*\u001b[2J");
        var text = DeviceRule.Describe(device);
        Assert.DoesNotContain('\n', text);
        Assert.DoesNotContain('\u001b', text);
        var policy = Load(text + " reason=\"operator\u001b[31m\"\ndefault deny");
        Assert.Single(policy.Rules);
        Assert.Equal(Verdict.Allow, new PolicyEvaluator(policy).Decide(Facts(device)).Verdict);
        Assert.Equal(Verdict.Deny, new PolicyEvaluator(policy).Decide(Facts(Plain("platform", "evil"))).Verdict);
    }

    [Fact]
    public void Error_messages_escape_the_control_characters_they_quote()
    {
        var error = Assert.Single(Errors("allow\u001b[2J=x\ndefault deny"));
        Assert.DoesNotContain('\u001b', error.ToString());
        Assert.Contains("\\x1b[2J", error.ToString());
    }
}
