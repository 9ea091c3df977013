using AcceptD.Core.Drivers;
using AcceptD.Core.Matching;

namespace AcceptD.Core.Policy;

/// <summary>A rule with its conditions compiled and its decision text prepared, so deciding allocates little.</summary>
internal sealed class CompiledRule
{
    private readonly ConditionMatcher[] _selectors;
    private readonly string? _literalDriver;

    public CompiledRule(Rule rule)
    {
        Rule = rule;
        Matchers = rule.Conditions.Select(c => new ConditionMatcher(c)).ToArray();
        _selectors = Matchers.Where(m => m.Condition.Key.SelectsCandidate()).ToArray();
        var driver = rule.Find(ConditionKey.Driver) is { } condition ? Glob.Compile(condition.Value) : null;
        _literalDriver = driver is { IsLiteral: true } ? driver.LiteralPrefix : null;
        Reason = rule.Reason ?? (rule.IsDefault
            ? $"no rule matched: default {RulePrinter.TargetWord(rule.Target)} at {rule.Location.File}:{rule.Location.Line}"
            : $"matched {RulePrinter.TargetWord(rule.Target)} rule at {rule.Location.File}:{rule.Location.Line}");
    }

    public Rule Rule { get; }

    public ConditionMatcher[] Matchers { get; }

    public string Reason { get; }

    public bool Matches(DeviceFacts facts)
    {
        foreach (var matcher in Matchers)
            if (!matcher.Matches(facts)) return false;
        return true;
    }

    public Decision Decide(DeviceFacts facts) =>
        new(Rule.Target, Rule, Rule.Target is Verdict.Allow or Verdict.Tdisp ? Choose(facts.Candidates) : null, Reason);

    /// <summary>
    /// The candidate to bind: the first that passes the rule's module=/driver= conditions (a bound one first),
    /// else the first candidate. A literal driver= names the driver of a passing candidate whose name is unknown.
    /// </summary>
    private Candidate? Choose(IReadOnlyList<Candidate> candidates)
    {
        if (candidates.Count == 0) return null;
        Candidate? passing = null;
        foreach (var candidate in candidates)
        {
            if (!PassesSelectors(candidate)) continue;
            if (candidate.Source == DriverNameSource.Bound) { passing = candidate; break; }
            passing ??= candidate;
        }
        if (passing is null) return candidates[0];
        return _literalDriver is not null && passing.Driver is null
            ? passing with { Driver = _literalDriver, Source = DriverNameSource.Policy }
            : passing;
    }

    private bool PassesSelectors(Candidate candidate)
    {
        foreach (var selector in _selectors)
            if (!selector.MatchesCandidate(candidate)) return false;
        return true;
    }
}
