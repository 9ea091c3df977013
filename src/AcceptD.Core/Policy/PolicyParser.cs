using System.Collections.Immutable;
using AcceptD.Core.Drivers;

namespace AcceptD.Core.Policy;

/// <summary>
/// Parses the policy language, one line at a time: "TARGET [KEY=VALUE ...]" or "default VERDICT [reason=...]".
/// Never throws on bad input: every problem becomes a diagnostic at file:line:column.
/// </summary>
public static class PolicyParser
{
    private static readonly Dictionary<string, Verdict> Targets = new(StringComparer.Ordinal)
    {
        ["allow"] = Verdict.Allow,
        ["deny"] = Verdict.Deny,
        ["ignore"] = Verdict.Ignore,
        ["tdisp"] = Verdict.Tdisp,
    };

    private const string DefaultWord = "default";
    private const string ReasonKey = "reason";
    private static readonly string[] EvidenceKeys = ["measurements", "certroot", "report"];

    /// <summary>tdisp only: the module of an override-only driver run on the unlocked device before the lock.</summary>
    public const string PrepareKey = "prepare";

    public static ParsedPolicyFile ParseFile(string file, string text)
    {
        var rules = ImmutableArray.CreateBuilder<Rule>();
        var diagnostics = ImmutableArray.CreateBuilder<PolicyDiagnostic>();
        var lines = text.Split('\n');
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n].TrimEnd('\r');
            var items = RuleLexer.Lex(line, out var error);
            var rule = error is null && items.Length > 0
                ? ParseRule(items, new SourceLocation(file, n + 1, items[0].KeyColumn), line.Trim(), out error)
                : null;
            if (rule is not null) rules.Add(rule);
            if (error is not null) diagnostics.Add(PolicyDiagnostic.Error(new SourceLocation(file, n + 1, error.Column), error.Message));
        }
        return new ParsedPolicyFile(file, rules.ToImmutable(), diagnostics.ToImmutable());
    }

    private static Rule? ParseRule(ImmutableArray<LexedItem> items, SourceLocation location, string text, out LineError? error)
    {
        var head = items[0];
        var isDefault = head.Key == DefaultWord && head.Value is null;
        var rest = items.AsSpan()[1..];
        Verdict target;
        if (isDefault)
        {
            if (rest.IsEmpty || rest[0].Value is not null || !Targets.TryGetValue(rest[0].Key, out target) || target == Verdict.Tdisp)
            {
                error = new LineError(rest.IsEmpty ? head.KeyColumn : rest[0].KeyColumn, "'default' must be followed by allow, deny or ignore");
                return null;
            }
            rest = rest[1..];
        }
        else if (head.Value is not null || !Targets.TryGetValue(head.Key, out target))
        {
            var found = head.Value is null ? head.Key : head.Key + "=...";
            error = new LineError(head.KeyColumn, $"unknown target '{found}': a rule starts with allow, deny, ignore, tdisp or default");
            return null;
        }

        var conditions = new List<Condition>();
        var firstColumn = new Dictionary<string, int>(StringComparer.Ordinal);
        string? reason = null, prepare = null;
        var evidence = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in rest)
        {
            error = CheckKey(item, isDefault, target, firstColumn);
            if (error is not null) return null;
            var value = item.Value!;
            if (item.Key == ReasonKey)
            {
                reason = value;
            }
            else if (EvidenceKeys.Contains(item.Key))
            {
                evidence[item.Key] = value;
            }
            else if (item.Key == PrepareKey)
            {
                if (!ModuleName.IsValid(value))
                {
                    error = new LineError(item.ValueColumn, $"'{value}' is not a module name (letters, digits, '_' and '-')");
                    return null;
                }
                prepare = value;
            }
            else
            {
                var (key, attribute) = SplitKey(item.Key)!.Value;
                var condition = ConditionParser.Parse(key, attribute, value, out var message);
                if (condition is null)
                {
                    error = new LineError(item.ValueColumn, message!);
                    return null;
                }
                conditions.Add(condition);
            }
        }

        TdispEvidence? tdispEvidence = null;
        if (target == Verdict.Tdisp)
        {
            tdispEvidence = ParseEvidence(evidence, items, out error);
            if (error is not null) return null;
            if (tdispEvidence is null)
            {
                error = new LineError(head.KeyColumn, "a tdisp rule needs measurements= and certroot=");
                return null;
            }
        }
        error = null;
        return new Rule(target, conditions, location, text, reason, tdispEvidence, isDefault, prepare);
    }

    /// <summary>Known key, allowed on this kind of rule, written once.</summary>
    private static LineError? CheckKey(LexedItem item, bool isDefault, Verdict target, Dictionary<string, int> firstColumn)
    {
        if (item.Value is null)
            return new LineError(item.KeyColumn, $"missing '=' after '{item.Key}'");
        var tdispOnly = EvidenceKeys.Contains(item.Key) || item.Key == PrepareKey;
        if (item.Key != ReasonKey && !tdispOnly && SplitKey(item.Key) is null)
            return new LineError(item.KeyColumn, $"unknown key '{item.Key}'");
        if (firstColumn.TryGetValue(item.Key, out var first))
            return new LineError(item.KeyColumn, $"duplicate key '{item.Key}' (first at column {first})");
        firstColumn[item.Key] = item.KeyColumn;
        if (isDefault && item.Key != ReasonKey)
            return new LineError(item.KeyColumn, $"'default' takes only reason=, found '{item.Key}'");
        if (tdispOnly && target != Verdict.Tdisp)
            return new LineError(item.KeyColumn, $"'{item.Key}' is only allowed on tdisp rules");
        return null;
    }

    /// <summary>"bus" → (Bus, null); "attr{vendor}" → (Attribute, "vendor"); null for anything else.</summary>
    private static (ConditionKey Key, string? Attribute)? SplitKey(string text)
    {
        if (ConditionKeys.TryParse(text, out var key) && key != ConditionKey.Attribute) return (key, null);
        if (!text.StartsWith("attr{", StringComparison.Ordinal) || !text.EndsWith('}')) return null;
        var name = text[5..^1];
        var valid = name.Length > 0 && name is not ("." or "..") &&
                    name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or ':');
        return valid ? (ConditionKey.Attribute, name) : null;
    }

    private static TdispEvidence? ParseEvidence(Dictionary<string, string> values, ImmutableArray<LexedItem> items, out LineError? error)
    {
        error = null;
        var digests = new Dictionary<string, List<Digest>>();
        foreach (var (key, text) in values)
        {
            var parts = key == "measurements" ? text.Split(',') : [text];
            var list = new List<Digest>();
            foreach (var part in parts)
            {
                if (Digest.TryParse(part, out var message) is not { } digest)
                {
                    error = new LineError(items.First(i => i.Key == key).ValueColumn, message!);
                    return null;
                }
                list.Add(digest);
            }
            digests[key] = list;
        }
        if (!digests.TryGetValue("measurements", out var measurements) || !digests.TryGetValue("certroot", out var certRoot))
            return null;
        return new TdispEvidence([.. measurements], certRoot[0], digests.GetValueOrDefault("report")?[0]);
    }
}
