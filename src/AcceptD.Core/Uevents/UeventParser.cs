using System.Collections.Immutable;
using System.Text;

namespace AcceptD.Core.Uevents;

/// <summary>
/// Parses a kernel (netlink group 1) uevent payload. The transport checks (sender pid 0, uid 0) are done by the
/// socket before this; here only the bytes are judged. Malformed input yields an error naming what is wrong.
/// </summary>
public static class UeventParser
{
    private static readonly string[] Required = ["ACTION", "DEVPATH", "SUBSYSTEM", "SEQNUM"];

    public static UeventParseResult Parse(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty) return UeventParseResult.Fail("empty message");
        if (payload.StartsWith("libudev\0"u8)) return UeventParseResult.Fail("udev-framed message on the kernel group");
        var headerEnd = payload.IndexOf((byte)0);
        if (headerEnd < 0) return UeventParseResult.Fail("no NUL-terminated header");
        var header = Decode(payload[..headerEnd]);
        var at = header.IndexOf('@');
        if (at <= 0 || at == header.Length - 1) return UeventParseResult.Fail($"header '{Printable(header)}' is not ACTION@DEVPATH");

        var props = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        var rest = payload[(headerEnd + 1)..];
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf((byte)0);
            var field = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 1)..];
            if (field.IsEmpty) continue;
            var text = Decode(field);
            var eq = text.IndexOf('=');
            if (eq <= 0) return UeventParseResult.Fail($"property '{Printable(text)}' has no KEY=");
            props[text[..eq]] = text[(eq + 1)..];
        }
        foreach (var key in Required)
            if (!props.ContainsKey(key)) return UeventParseResult.Fail($"missing {key} in {Printable(header)}");
        if (!ulong.TryParse(props["SEQNUM"], out var seq)) return UeventParseResult.Fail($"SEQNUM '{Printable(props["SEQNUM"])}' is not a number");
        var action = props["ACTION"];
        var devpath = props["DEVPATH"];
        if (header != action + "@" + devpath) return UeventParseResult.Fail($"header '{Printable(header)}' disagrees with ACTION/DEVPATH");
        if (!devpath.StartsWith('/') || devpath.Contains("/../") || devpath.EndsWith("/..")) return UeventParseResult.Fail($"DEVPATH '{Printable(devpath)}' is not a clean absolute path");
        return UeventParseResult.Ok(new Uevent(action, devpath, props["SUBSYSTEM"], seq, props.ToImmutable()));
    }

    private static string Decode(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);

    /// <summary>Keeps hostile bytes out of logs.</summary>
    private static string Printable(string s)
    {
        var sb = new StringBuilder(Math.Min(s.Length, 120));
        foreach (var c in s.Length > 120 ? s[..120] : s) sb.Append(char.IsControl(c) ? '?' : c);
        return sb.ToString();
    }
}

public readonly record struct UeventParseResult(Uevent? Event, string? Error)
{
    public static UeventParseResult Ok(Uevent e) => new(e, null);
    public static UeventParseResult Fail(string error) => new(null, error);
}
