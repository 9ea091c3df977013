namespace AcceptD.Core.Policy;

/// <summary>The match keys of the policy language, in the canonical order the printer uses.</summary>
public enum ConditionKey
{
    Bus, Id, Vendor, Device, Subsystem, Class, Name, Path, Modalias, Parent, Attribute, Prebound, Origin, Tdisp, Module, Driver,
}

public static class ConditionKeys
{
    private static readonly Dictionary<string, ConditionKey> ByName = new(StringComparer.Ordinal)
    {
        ["bus"] = ConditionKey.Bus,
        ["id"] = ConditionKey.Id,
        ["vendor"] = ConditionKey.Vendor,
        ["device"] = ConditionKey.Device,
        ["subsystem"] = ConditionKey.Subsystem,
        ["class"] = ConditionKey.Class,
        ["name"] = ConditionKey.Name,
        ["path"] = ConditionKey.Path,
        ["modalias"] = ConditionKey.Modalias,
        ["parent"] = ConditionKey.Parent,
        ["prebound"] = ConditionKey.Prebound,
        ["origin"] = ConditionKey.Origin,
        ["tdisp"] = ConditionKey.Tdisp,
        ["module"] = ConditionKey.Module,
        ["driver"] = ConditionKey.Driver,
    };

    public static bool TryParse(string name, out ConditionKey key) => ByName.TryGetValue(name, out key);

    /// <summary>The key as written in rules ("attr" for <see cref="ConditionKey.Attribute"/>, used as attr{NAME}).</summary>
    public static string Name(this ConditionKey key) => key == ConditionKey.Attribute ? "attr" : key.ToString().ToLowerInvariant();

    /// <summary>Keys every device has a value for, so that "KEY=*" matches every device.</summary>
    public static bool AlwaysPresent(this ConditionKey key) => key is ConditionKey.Bus or ConditionKey.Name or ConditionKey.Path;

    /// <summary>Keys that, on allow and tdisp rules, also select which candidate to bind.</summary>
    public static bool SelectsCandidate(this ConditionKey key) => key is ConditionKey.Module or ConditionKey.Driver;
}
