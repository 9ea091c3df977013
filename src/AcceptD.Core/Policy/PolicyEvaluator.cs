using System.Collections.Immutable;

namespace AcceptD.Core.Policy;

/// <summary>Decides devices against a policy: the first matching rule wins, else the default.</summary>
public sealed class PolicyEvaluator
{
    private readonly CompiledRule[] _rules;
    private readonly CompiledRule _default;
    private readonly RuleIndex _index;

    public PolicyEvaluator(Policy policy)
    {
        Policy = policy;
        _rules = policy.Rules.Select(r => new CompiledRule(r)).ToArray();
        _default = new CompiledRule(policy.Default);
        _index = new RuleIndex(_rules);
    }

    public Policy Policy { get; }

    public Decision Decide(DeviceFacts facts) => (_index.FirstMatch(facts) ?? _default).Decide(facts);

    /// <summary>Every rule in order up to the deciding one, each condition with what the device showed.</summary>
    public Explanation Explain(DeviceFacts facts)
    {
        var traces = ImmutableArray.CreateBuilder<RuleTrace>();
        foreach (var rule in _rules)
        {
            var trace = Trace(rule, facts);
            traces.Add(trace);
            if (trace.Matched) return new Explanation(facts, traces.ToImmutable(), rule.Decide(facts));
        }
        return new Explanation(facts, traces.ToImmutable(), _default.Decide(facts));
    }

    private static RuleTrace Trace(CompiledRule rule, DeviceFacts facts) =>
        new(rule.Rule, [.. rule.Matchers.Select(m => new ConditionTrace(m.Condition, m.Seen(facts), m.Matches(facts)))]);
}
