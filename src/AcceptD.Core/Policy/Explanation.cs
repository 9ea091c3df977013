using System.Collections.Immutable;
using System.Text;
using AcceptD.Core.Text;

namespace AcceptD.Core.Policy;

/// <summary>One condition of one rule as tested against a device.</summary>
public sealed record ConditionTrace(Condition Condition, string Seen, bool Passed);

/// <summary>One rule as tested against a device; it matched when every condition passed.</summary>
public sealed record RuleTrace(Rule Rule, ImmutableArray<ConditionTrace> Conditions)
{
    public bool Matched => Conditions.All(c => c.Passed);
}

/// <summary>Why a device got its decision: every rule considered, in order, and the decision (udevadm-test style).</summary>
public sealed record Explanation(DeviceFacts Facts, ImmutableArray<RuleTrace> Rules, Decision Decision)
{
    public override string ToString()
    {
        var device = Facts.Device;
        var text = new StringBuilder();
        text.AppendLine($"device {Printable.Escape(device.Key)} ({Printable.Escape(device.Path)})");
        foreach (var rule in Rules)
        {
            text.AppendLine($"  {Printable.Escape(rule.Rule.Location.File)}:{rule.Rule.Location.Line}: {Printable.Escape(rule.Rule.Text)}{(rule.Matched ? "  <- matches" : "")}");
            foreach (var condition in rule.Conditions)
                text.AppendLine($"    {(condition.Passed ? "pass" : "FAIL")} {condition.Condition.KeyText}: " +
                                $"seen {RulePrinter.FormatValue(condition.Seen)}, wanted {RulePrinter.FormatValue(condition.Condition.Value)}");
        }
        if (Decision.Rule.IsDefault) text.AppendLine($"  no rule matched; default: {Decision.Rule.Text}");
        var verdict = RulePrinter.TargetWord(Decision.Verdict);
        var chosen = Decision.Chosen is { } c ? $" with module {c.Module} (driver {c.DriverOrModule})" : "";
        text.Append($"decision: {verdict}{chosen}: {Printable.Escape(Decision.Reason)}");
        return text.ToString();
    }
}
