namespace AcceptD.Core.Policy;

/// <summary>
/// Finds rules that can never decide because an earlier rule matches every device they match. Conservative: an
/// earlier rule shadows a later one when each of its conditions appears in the later rule with the same value, or
/// has the value "*" on a key the later rule also tests (or that every device has). A rule without conditions
/// shadows everything after it.
/// </summary>
internal static class RuleShadowing
{
    /// <summary>Order in which a non-"*" condition is picked as a rule's bucket key: rare values first.</summary>
    private static readonly ConditionKey[] Selectivity =
    [
        ConditionKey.Name, ConditionKey.Path, ConditionKey.Id, ConditionKey.Modalias, ConditionKey.Subsystem,
        ConditionKey.Device, ConditionKey.Attribute, ConditionKey.Vendor, ConditionKey.Class, ConditionKey.Parent,
        ConditionKey.Module, ConditionKey.Driver, ConditionKey.Bus, ConditionKey.Origin, ConditionKey.Prebound, ConditionKey.Tdisp,
    ];

    public static IEnumerable<PolicyDiagnostic> Check(IReadOnlyList<Rule> rules)
    {
        // An earlier rule can only shadow a later one that contains its bucket condition, so each later rule
        // looks only at the buckets of its own conditions (plus rules made only of "*"): near-linear for large policies.
        var buckets = new Dictionary<Condition, List<int>>();
        var unanchored = new List<int>();
        for (var index = 0; index < rules.Count; index++)
        {
            var rule = rules[index];
            var shadowing = Candidates(rule, buckets, unanchored)
                .Where(earlier => Shadows(rules[earlier], rule))
                .DefaultIfEmpty(-1)
                .Min();
            if (shadowing >= 0)
                yield return PolicyDiagnostic.Error(rule.Location, Describe(rules[shadowing], rule));
            if (Anchor(rule) is { } anchor)
            {
                if (!buckets.TryGetValue(anchor, out var bucket)) buckets[anchor] = bucket = [];
                bucket.Add(index);
            }
            else
            {
                unanchored.Add(index);
            }
        }
    }

    public static bool Shadows(Rule earlier, Rule later) =>
        earlier.Conditions.All(c =>
            later.Conditions.Contains(c) ||
            (c.IsWildcard && (c.Key.AlwaysPresent() || later.Conditions.Any(l => l.Key == c.Key && l.Attribute == c.Attribute))));

    private static string Describe(Rule earlier, Rule later) =>
        earlier.SameAs(later)
            ? $"duplicate of rule at {earlier.Location.File}:{earlier.Location.Line}"
            : $"unreachable: the rule at {earlier.Location.File}:{earlier.Location.Line} ({earlier.Text}) matches every device this rule matches";

    private static IEnumerable<int> Candidates(Rule rule, Dictionary<Condition, List<int>> buckets, List<int> unanchored)
    {
        foreach (var index in unanchored) yield return index;
        foreach (var condition in rule.Conditions)
            if (buckets.TryGetValue(condition, out var bucket))
                foreach (var index in bucket) yield return index;
    }

    private static Condition? Anchor(Rule rule) =>
        Selectivity.SelectMany(key => rule.Conditions.Where(c => c.Key == key && !c.IsWildcard)).FirstOrDefault();
}
