using System.Collections.Immutable;

namespace AcceptD.Core.Policy;

/// <summary>
/// One policy line: a target and the conditions (all must hold) under which it applies, or the policy's default
/// (no conditions, applies last). Keeps where it was written and the original text for check/explain output.
/// </summary>
public sealed class Rule
{
    public Rule(
        Verdict target,
        IEnumerable<Condition> conditions,
        SourceLocation location,
        string text,
        string? reason = null,
        TdispEvidence? evidence = null,
        bool isDefault = false,
        string? prepare = null)
    {
        Target = target;
        Conditions = conditions
            .OrderBy(c => c.Key)
            .ThenBy(c => c.Attribute, StringComparer.Ordinal)
            .ToImmutableArray();
        Location = location;
        Text = text;
        Reason = reason;
        Evidence = evidence;
        IsDefault = isDefault;
        Prepare = prepare;
    }

    public Verdict Target { get; }

    /// <summary>In canonical key order (see <see cref="ConditionKey"/>), whatever order they were written in.</summary>
    public ImmutableArray<Condition> Conditions { get; }

    public SourceLocation Location { get; }

    /// <summary>The line as written, without surrounding whitespace.</summary>
    public string Text { get; }

    /// <summary>The reason="..." text shown to users, null when the rule has none.</summary>
    public string? Reason { get; }

    /// <summary>The evidence a tdisp rule accepts; null on every other rule.</summary>
    public TdispEvidence? Evidence { get; }

    /// <summary>
    /// The module of an override-only prepare driver a tdisp rule runs on the unlocked device before locking it
    /// (firmware load, reset); null on every other rule and when the rule names none.
    /// </summary>
    public string? Prepare { get; }

    /// <summary>A "default" line: applies when no rule matched.</summary>
    public bool IsDefault { get; }

    public Condition? Find(ConditionKey key) => Conditions.FirstOrDefault(c => c.Key == key);

    /// <summary>Same conditions, whatever the target, reason or place.</summary>
    public bool HasSameConditions(Rule other) => Conditions.SequenceEqual(other.Conditions);

    /// <summary>Same meaning: everything but the location and the original text.</summary>
    public bool SameAs(Rule other) =>
        Target == other.Target && IsDefault == other.IsDefault && Reason == other.Reason &&
        Equals(Evidence, other.Evidence) && Prepare == other.Prepare && HasSameConditions(other);

    public override string ToString() => RulePrinter.Print(this);
}
