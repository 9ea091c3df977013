using AcceptD.Core.Devices;

namespace AcceptD.Core.Policy;

/// <summary>A device written in the policy language: the rule that matches exactly this device (USBGuard style).</summary>
public static class DeviceRule
{
    private static readonly SourceLocation Nowhere = new("(device)", 0, 0);

    public static string Describe(Device device, Verdict target = Verdict.Allow) => RulePrinter.Print(For(device, target));

    /// <summary>Bus, ids and name of the device as literal conditions, plus any extra ones (e.g. driver=).</summary>
    public static Rule For(Device device, Verdict target, IEnumerable<Condition>? extra = null, string? reason = null)
    {
        var conditions = new List<Condition> { new(ConditionKey.Bus, EscapeGlob(device.Bus)), new(ConditionKey.Name, EscapeGlob(device.Name)) };
        if (device.Ids.Id is { } id) conditions.Add(new Condition(ConditionKey.Id, id));
        if (device.Ids.SubsystemId is { } subsystem) conditions.Add(new Condition(ConditionKey.Subsystem, subsystem));
        if (device.Ids.Class is { } cls) conditions.Add(new Condition(ConditionKey.Class, $"0x{cls:x6}"));
        conditions.AddRange(extra ?? []);
        return new Rule(target, conditions, Nowhere, "", reason);
    }

    /// <summary>Makes text a glob that matches only itself.</summary>
    public static string EscapeGlob(string text) =>
        text.IndexOfAny(['*', '?', '[', '\\']) < 0
            ? text
            : string.Concat(text.Select(c => c is '*' or '?' or '[' or '\\' ? "\\" + c : c.ToString()));
}
