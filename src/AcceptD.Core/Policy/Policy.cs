using System.Collections.Immutable;

namespace AcceptD.Core.Policy;

/// <summary>
/// A loaded policy: rules in first-match order (all files sorted by name, each file in line order), then the default.
/// </summary>
public sealed class Policy
{
    public Policy(ImmutableArray<Rule> rules, Rule @default, ImmutableArray<string> files)
    {
        Rules = rules;
        Default = @default;
        Files = files;
        AttributeNames = rules
            .SelectMany(r => r.Conditions)
            .Where(c => c.Key == ConditionKey.Attribute)
            .Select(c => c.Attribute!)
            .ToImmutableSortedSet(StringComparer.Ordinal);
    }

    public ImmutableArray<Rule> Rules { get; }

    /// <summary>The "default" line, or an implicit "default deny" when no file has one.</summary>
    public Rule Default { get; }

    /// <summary>The files the rules came from, in load order.</summary>
    public ImmutableArray<string> Files { get; }

    /// <summary>The sysfs attributes attr{NAME} conditions look at: the inventory reads these for every device.</summary>
    public ImmutableSortedSet<string> AttributeNames { get; }
}
