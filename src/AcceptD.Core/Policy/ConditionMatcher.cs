using AcceptD.Core.Devices;
using AcceptD.Core.Drivers;
using AcceptD.Core.Matching;

namespace AcceptD.Core.Policy;

/// <summary>A condition compiled once (globs, class value and mask) and tested against device facts.</summary>
internal sealed class ConditionMatcher
{
    private readonly Glob _glob;
    private readonly Glob _moduleGlob;
    // id= and subsystem= match each half on its own, so no "vvvv:dddd" string is built per decision.
    private readonly Glob? _firstHalf;
    private readonly Glob? _secondHalf;
    private readonly uint _classValue;
    private readonly uint _classMask;

    public ConditionMatcher(Condition condition)
    {
        Condition = condition;
        _glob = Glob.Compile(condition.Value);
        // Module names treat '-' and '_' as equal: compare both sides with '_' (ranges inside brackets stay).
        _moduleGlob = condition.Key.SelectsCandidate() ? Glob.Compile(NormaliseModulePattern(condition.Value)) : _glob;
        if (condition.Key == ConditionKey.Class) (_classValue, _classMask) = ConditionParser.SplitClass(condition.Value);
        if (condition.Key is ConditionKey.Id or ConditionKey.Subsystem)
        {
            var colon = condition.Value.IndexOf(':');
            (_firstHalf, _secondHalf) = (Glob.Compile(condition.Value[..colon]), Glob.Compile(condition.Value[(colon + 1)..]));
        }
    }

    public Condition Condition { get; }

    public bool Matches(DeviceFacts facts)
    {
        var device = facts.Device;
        switch (Condition.Key)
        {
            case ConditionKey.Class:
                return device.Ids.Class is { } cls && (cls & _classMask) == (_classValue & _classMask);
            case ConditionKey.Id:
                return device.Ids is { Vendor: { } vendor, Device: { } id } && _firstHalf!.IsMatch(vendor) && _secondHalf!.IsMatch(id);
            case ConditionKey.Subsystem:
                return device.Ids is { SubVendor: { } subVendor, SubDevice: { } subDevice } &&
                       _firstHalf!.IsMatch(subVendor) && _secondHalf!.IsMatch(subDevice);
            case ConditionKey.Parent:
                foreach (var ancestor in facts.Ancestors)
                    if (_glob.IsMatch(ancestor.Name) || _glob.IsMatch(ancestor.Key) || _glob.IsMatch(ancestor.Path)) return true;
                return false;
            case ConditionKey.Module or ConditionKey.Driver:
                foreach (var candidate in facts.Candidates)
                    if (MatchesCandidate(candidate)) return true;
                return false;
            default:
                return Subject(facts) is { } text && _glob.IsMatch(text);
        }
    }

    /// <summary>For module= and driver=: whether this candidate passes.</summary>
    public bool MatchesCandidate(Candidate candidate) =>
        Condition.Key == ConditionKey.Module || candidate.Driver is null
            ? _moduleGlob.IsMatch(ModuleName.Normalise(candidate.Module))
            : _glob.IsMatch(candidate.Driver);

    /// <summary>What the device showed for this key, for explanations.</summary>
    public string Seen(DeviceFacts facts) => Condition.Key switch
    {
        ConditionKey.Class => facts.Device.Ids.Class is { } cls ? $"0x{cls:x6}" : "(none)",
        ConditionKey.Parent => facts.Ancestors.Count == 0 ? "(none)" : string.Join(", ", facts.Ancestors.Select(a => a.Key)),
        ConditionKey.Module => List(facts.Candidates.Select(c => c.Module)),
        ConditionKey.Driver => List(facts.Candidates.Select(c => c.DriverOrModule)),
        _ => Subject(facts) ?? "(none)",
    };

    /// <summary>The single text a glob-like key matches against; null when the device has none.</summary>
    private string? Subject(DeviceFacts facts)
    {
        var device = facts.Device;
        return Condition.Key switch
        {
            ConditionKey.Bus => device.Bus,
            ConditionKey.Name => device.Name,
            ConditionKey.Path => device.Path,
            ConditionKey.Modalias => device.Modalias,
            ConditionKey.Id => device.Ids.Id,
            ConditionKey.Vendor => device.Ids.Vendor,
            ConditionKey.Device => device.Ids.Device,
            ConditionKey.Subsystem => device.Ids.SubsystemId,
            ConditionKey.Attribute => device.Attributes.GetValueOrDefault(Condition.Attribute!),
            ConditionKey.Prebound => YesNo(facts.BoundBeforeStart),
            ConditionKey.Tdisp => YesNo(device.TdispCapable),
            ConditionKey.Origin => facts.Origin == DeviceOrigin.Coldplug ? "coldplug" : "hotplug",
            _ => throw new InvalidOperationException($"no subject for key {Condition.Key}"),
        };
    }

    private static string YesNo(bool value) => value ? "yes" : "no";

    private static string List(IEnumerable<string> items) => string.Join(", ", items) is { Length: > 0 } text ? text : "(no candidates)";

    private static string NormaliseModulePattern(string pattern)
    {
        var chars = pattern.ToCharArray();
        var inBrackets = false;
        for (var i = 0; i < chars.Length; i++)
        {
            if (chars[i] == '\\') { i++; continue; }
            if (chars[i] == '[') inBrackets = true;
            else if (chars[i] == ']') inBrackets = false;
            else if (chars[i] == '-' && !inBrackets) chars[i] = '_';
        }
        return new string(chars);
    }
}
