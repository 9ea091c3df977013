namespace AcceptD.Core.Policy;

/// <summary>
/// One key=value match of a rule, with its value in canonical form (ids lower-case, class as 0xCCSSPP[/0xMASK]),
/// so that equal conditions compare equal. <see cref="Attribute"/> is the NAME of attr{NAME}, null for other keys.
/// </summary>
public sealed record Condition(ConditionKey Key, string Value, string? Attribute = null)
{
    /// <summary>The key as written: "bus", "attr{vendor}".</summary>
    public string KeyText => Key == ConditionKey.Attribute ? $"attr{{{Attribute}}}" : Key.Name();

    /// <summary>Whether the value matches anything that has a value (a lone "*").</summary>
    public bool IsWildcard => Value == "*";
}
