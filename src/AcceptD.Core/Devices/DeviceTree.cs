using System.Collections.Immutable;

namespace AcceptD.Core.Devices;

/// <summary>
/// All devices of one inventory, indexed by key and by canonical path so that ancestors
/// (the parent chain, e.g. the PCI root port in front of an endpoint) can be found without reading sysfs again.
/// </summary>
public sealed class DeviceTree
{
    private readonly Dictionary<string, Device> _byKey;
    private readonly Dictionary<string, Device> _byPath;

    public DeviceTree(IEnumerable<Device> devices)
    {
        Devices = devices.OrderBy(d => d.Path, StringComparer.Ordinal).ThenBy(d => d.Key, StringComparer.Ordinal).ToImmutableArray();
        _byKey = new Dictionary<string, Device>(StringComparer.Ordinal);
        _byPath = new Dictionary<string, Device>(StringComparer.Ordinal);
        foreach (var d in Devices)
        {
            _byKey[d.Key] = d;
            _byPath.TryAdd(d.Path, d);
        }
    }

    public static readonly DeviceTree Empty = new([]);

    /// <summary>Devices in path order, so a parent always comes before its children.</summary>
    public ImmutableArray<Device> Devices { get; }

    public Device? Find(string key) => _byKey.GetValueOrDefault(key);

    public Device? FindByPath(string path) => _byPath.GetValueOrDefault(path);

    /// <summary>
    /// Finds a device by what a user types: "pci/0000:00:03.0", "0000:00:03.0", or a path with or without "/sys".
    /// Null when nothing or more than one device matches.
    /// </summary>
    public Device? Lookup(string text)
    {
        if (_byKey.TryGetValue(text, out var d)) return d;
        var path = text.StartsWith("/sys/", StringComparison.Ordinal) ? text[4..] : text;
        if (_byPath.TryGetValue(path, out d)) return d;
        var byName = Devices.Where(x => x.Name == text).Take(2).ToList();
        return byName.Count == 1 ? byName[0] : null;
    }

    /// <summary>Nearest first: the devices whose paths are prefixes of this device's path.</summary>
    public IEnumerable<Device> Ancestors(Device device)
    {
        var path = device.Path;
        while (true)
        {
            var cut = path.LastIndexOf('/');
            if (cut <= 0) yield break;
            path = path[..cut];
            if (_byPath.TryGetValue(path, out var parent)) yield return parent;
        }
    }
}
