using AcceptD.Core.State;
using AcceptD.Daemon.Control;
using AcceptD.Os.DBus;

namespace AcceptD.Daemon.Bus;

/// <summary>
/// Checks the strings callers send before they reach the daemon: device references and list filters.
/// A device is named by key ("pci/0000:00:03.0"), bus name, sysfs path or its object path.
/// </summary>
internal static class DeviceArgument
{
    public const int MaxLength = 512;

    public static DeviceRecord Resolve(IGateControl gate, string device)
    {
        CheckText("device", device, allowEmpty: false);
        if (device.Split('/').Any(part => part is ".." or "."))
            throw Invalid($"device '{Shorten(device)}' contains a '.' or '..' path element");
        var reference = device.StartsWith(BusNames.DevicePrefix + "/", StringComparison.Ordinal)
            ? DecodeObjectPath(device)
            : device;
        return gate.Find(reference) ?? throw new BusErrorException(BusNames.UnknownDevice, $"no device '{Shorten(device)}'");
    }

    private static string DecodeObjectPath(string path) =>
        path.IndexOf('/', BusNames.DevicePrefix.Length + 1) < 0 && BusPath.Decode(path, BusNames.DevicePrefix) is { Length: > 0 } key
            ? key
            : throw Invalid($"'{Shorten(path)}' is not a device object path");

    public static string Filter(string filter)
    {
        CheckText("filter", filter, allowEmpty: true);
        return filter;
    }

    private static void CheckText(string what, string value, bool allowEmpty)
    {
        if (value.Length == 0 && !allowEmpty) throw Invalid($"{what} is empty");
        if (value.Length > MaxLength) throw Invalid($"{what} is {value.Length} characters long (at most {MaxLength})");
        if (value.Any(char.IsControl)) throw Invalid($"{what} contains control characters");
    }

    private static BusErrorException Invalid(string message) => new(BusNames.InvalidArgument, message);

    private static string Shorten(string s) => s.Length <= 80 ? s : s[..80] + "…";
}
