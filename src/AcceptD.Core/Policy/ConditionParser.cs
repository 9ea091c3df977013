using System.Globalization;
using AcceptD.Core.Matching;

namespace AcceptD.Core.Policy;

/// <summary>Checks a condition's value for its key and brings it to canonical form.</summary>
internal static class ConditionParser
{
    public const uint FullClassMask = 0xffffff;

    /// <summary>The condition, or null with a message saying what is wrong with the value.</summary>
    public static Condition? Parse(ConditionKey key, string? attribute, string value, out string? error)
    {
        var canonical = key switch
        {
            ConditionKey.Id or ConditionKey.Subsystem => IdPair(value, out error),
            ConditionKey.Vendor or ConditionKey.Device => IdHalf(value, out error),
            ConditionKey.Class => ClassValue(value, out error),
            ConditionKey.Prebound or ConditionKey.Tdisp => OneOf(value, key, ["yes", "no"], out error),
            ConditionKey.Origin => OneOf(value, key, ["coldplug", "hotplug"], out error),
            _ => Pattern(value, out error),
        };
        return canonical is null ? null : new Condition(key, canonical, attribute);
    }

    /// <summary>Splits "0xCCSSPP[/0xMASK]" (canonical form) into value and mask.</summary>
    public static (uint Value, uint Mask) SplitClass(string canonical)
    {
        var slash = canonical.IndexOf('/');
        return slash < 0
            ? (ParseHex(canonical)!.Value, FullClassMask)
            : (ParseHex(canonical[..slash])!.Value, ParseHex(canonical[(slash + 1)..])!.Value);
    }

    private static string? Pattern(string value, out string? error)
    {
        error = Glob.Validate(value) is { } problem ? "bad pattern: " + problem : null;
        return error is null ? value : null;
    }

    private static string? IdPair(string value, out string? error)
    {
        var parts = value.Split(':');
        if (parts.Length != 2)
        {
            error = $"bad hex id '{value}': expected VVVV:DDDD";
            return null;
        }
        var vendor = IdHalf(parts[0], out error);
        var device = vendor is null ? null : IdHalf(parts[1], out error);
        return device is null ? null : vendor + ":" + device;
    }

    private static string? IdHalf(string value, out string? error)
    {
        error = null;
        var isHex = value.Length == 4 && value.All(char.IsAsciiHexDigit);
        var isPattern = value.IndexOfAny(['*', '?', '[']) >= 0 && value.All(c => char.IsAsciiHexDigit(c) || "*?[]!^-".Contains(c));
        if (isHex || (isPattern && Glob.Validate(value) is null)) return value.ToLowerInvariant();
        error = $"bad hex id '{value}': expected 4 hex digits or a pattern such as 10[0-7]?";
        return null;
    }

    private static string? ClassValue(string value, out string? error)
    {
        error = null;
        var slash = value.IndexOf('/');
        var number = ParseHex(slash < 0 ? value : value[..slash]);
        var mask = slash < 0 ? FullClassMask : ParseHex(value[(slash + 1)..]);
        if (number is null || number > FullClassMask || mask is null || mask > FullClassMask)
        {
            error = $"bad class '{value}': expected 0xCCSSPP or 0xCCSSPP/0xMASK (at most 6 hex digits each)";
            return null;
        }
        return mask == FullClassMask ? $"0x{number:x6}" : $"0x{number:x6}/0x{mask:x6}";
    }

    private static uint? ParseHex(string text)
    {
        var digits = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        return digits.Length is > 0 and <= 6 && digits.All(char.IsAsciiHexDigit)
            ? uint.Parse(digits, NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : null;
    }

    private static string? OneOf(string value, ConditionKey key, string[] allowed, out string? error)
    {
        error = allowed.Contains(value) ? null : $"bad value '{value}' for '{key.Name()}': expected {string.Join(" or ", allowed)}";
        return error is null ? value : null;
    }
}
