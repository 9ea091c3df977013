using AcceptD.Core.Matching;

namespace AcceptD.Core.Policy;

/// <summary>
/// Finds the rules that may match a device without testing all of them: each rule is filed under the literal
/// value of its most selective key (name, else id, else bus) or in a general list; a device's rules are the
/// merge of its name, id and bus lists and the general list, in rule order, so first-match order is kept.
/// </summary>
internal sealed class RuleIndex
{
    private readonly Dictionary<string, int[]> _byName;
    private readonly Dictionary<string, Dictionary<string, int[]>> _byId; // vendor, then device
    private readonly Dictionary<string, int[]> _byBus;
    private readonly int[] _general;
    private readonly CompiledRule[] _rules;

    public RuleIndex(CompiledRule[] rules)
    {
        _rules = rules;
        var byName = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var byId = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var byBus = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var general = new List<int>();
        for (var i = 0; i < rules.Length; i++)
        {
            var rule = rules[i].Rule;
            if (Literal(rule, ConditionKey.Name) is { } name) Add(byName, name, i);
            else if (Literal(rule, ConditionKey.Id) is { } id) Add(byId, id, i); // "vvvv:dddd"
            else if (Literal(rule, ConditionKey.Bus) is { } bus) Add(byBus, bus, i);
            else general.Add(i);
        }
        _byName = Freeze(byName);
        _byId = byId
            .GroupBy(e => e.Key[..4], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToDictionary(e => e.Key[5..], e => e.Value.ToArray(), StringComparer.Ordinal), StringComparer.Ordinal);
        _byBus = Freeze(byBus);
        _general = [.. general];
    }

    /// <summary>The first rule, in policy order, whose conditions all hold; null when none does.</summary>
    public CompiledRule? FirstMatch(DeviceFacts facts)
    {
        var device = facts.Device;
        var name = _byName.GetValueOrDefault(device.Name) ?? [];
        var id = device.Ids is { Vendor: { } vendor, Device: { } deviceId }
            ? _byId.GetValueOrDefault(vendor)?.GetValueOrDefault(deviceId) ?? []
            : [];
        var bus = _byBus.GetValueOrDefault(device.Bus) ?? [];
        int a = 0, b = 0, c = 0, d = 0;
        while (true)
        {
            var next = int.MaxValue;
            if (a < name.Length) next = name[a];
            if (b < id.Length && id[b] < next) next = id[b];
            if (c < bus.Length && bus[c] < next) next = bus[c];
            if (d < _general.Length && _general[d] < next) next = _general[d];
            if (next == int.MaxValue) return null;
            if (a < name.Length && name[a] == next) a++;
            else if (b < id.Length && id[b] == next) b++;
            else if (c < bus.Length && bus[c] == next) c++;
            else d++;
            if (_rules[next].Matches(facts)) return _rules[next];
        }
    }

    private static string? Literal(Rule rule, ConditionKey key)
    {
        if (rule.Find(key) is not { } condition) return null;
        var glob = Glob.Compile(condition.Value);
        return glob.IsLiteral ? glob.LiteralPrefix : null;
    }

    private static void Add(Dictionary<string, List<int>> index, string key, int rule)
    {
        if (!index.TryGetValue(key, out var list)) index[key] = list = [];
        list.Add(rule);
    }

    private static Dictionary<string, int[]> Freeze(Dictionary<string, List<int>> index) =>
        index.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
}
