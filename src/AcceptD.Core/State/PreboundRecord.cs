using System.Collections.Immutable;
using AcceptD.Core.Devices;

namespace AcceptD.Core.State;

/// <summary>
/// Which devices were bound, and to which driver, before the first AcceptD instance of this boot: written once
/// per boot by the early shim before it turns autoprobe off (or, without the shim, by the first daemon instance
/// before its coldplug) to /run/acceptd/prebound, one "bus/name driver" line per bound device.
/// Only a binding listed here may be treated as pre-bound; any other binding AcceptD did not make is a violation.
/// </summary>
public sealed class PreboundRecord
{
    public const string FileName = "prebound";

    private readonly ImmutableSortedDictionary<string, string> _drivers;

    private PreboundRecord(ImmutableSortedDictionary<string, string> drivers) => _drivers = drivers;

    public static PreboundRecord Empty { get; } = new(ImmutableSortedDictionary<string, string>.Empty);

    public int Count => _drivers.Count;

    /// <summary>Whether DEVICE (a "bus/name" key) was bound to exactly DRIVER before AcceptD first started.</summary>
    public bool Contains(string device, string driver) => _drivers.TryGetValue(device, out var recorded) && recorded == driver;

    /// <summary>
    /// What is bound now, read as the early shim reads it: each bus's devices and their driver links, no attribute
    /// (a whole inventory read would double the first daemon's start on a large tree).
    /// </summary>
    public static PreboundRecord FromSysfs(IFileView files)
    {
        var drivers = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var bus in files.List(SysfsLayout.Buses))
            foreach (var name in files.List(SysfsLayout.BusDevices(bus)))
                if (files.ReadLink(SysfsLayout.BusDevice(bus, name)) is { } dir && files.ReadLink(SysfsLayout.DriverLink(dir)) is { } driver)
                    drivers[$"{bus}/{name}"] = SysfsLayout.LinkName(driver);
        return new PreboundRecord(drivers.ToImmutable());
    }

    /// <summary>
    /// Reads the file's text. A line that is not "bus/name driver" is skipped and reported: a skipped device does not
    /// count as pre-bound, so a damaged record can only make AcceptD stricter.
    /// </summary>
    public static (PreboundRecord Record, IReadOnlyList<string> Problems) Parse(string text, string source)
    {
        var drivers = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        var problems = new List<string>();
        var twice = new HashSet<string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (line.Length == 0 || line.StartsWith('#')) continue;
            // The driver is the rest of the line: driver names may hold spaces (pnp's "i8042 kbd").
            var space = line.IndexOf(' ');
            var (device, driver) = space < 0 ? (line, "") : (line[..space], line[(space + 1)..]);
            if (!IsDriverName(driver) || device.Split('/') is not [var bus, var name] || !IsName(bus) || !IsName(name))
                problems.Add($"{source}:{lineNumber}: not \"bus/name driver\"; ignored");
            else if (!drivers.TryAdd(device, driver) && twice.Add(device))
                problems.Add($"{source}:{lineNumber}: {device} listed twice; not counted as pre-bound");
        }
        drivers.RemoveRange(twice);
        return (new PreboundRecord(drivers.ToImmutable()), problems);
    }

    public string ToText(string header) =>
        $"# {header}\n" + string.Concat(_drivers.Select(kv => $"{kv.Key} {kv.Value}\n"));

    // sysfs names: no whitespace, no control characters, no slash, not "." or "..".
    private static bool IsName(string s) =>
        s.Length is > 0 and <= 255 && s is not "." and not ".." && s.All(c => c > ' ' && c != '/' && c != 0x7f);

    // Driver names are sysfs names that may also hold inner spaces.
    private static bool IsDriverName(string s) =>
        s.Length is > 0 and <= 255 && s[0] != ' ' && s[^1] != ' ' && s is not "." and not ".." && s.All(c => c >= ' ' && c != '/' && c != 0x7f);
}
