namespace AcceptD.Core.Devices;

/// <summary>
/// A device's bus identity, normalised across buses: vendor/device as 4 lower-case hex digits
/// (PCI vendor/device, USB idVendor/idProduct, virtio vendor/device), class as 6 hex digits (PCI class code,
/// USB class/subclass/protocol). Missing values are null.
/// </summary>
public sealed record DeviceIds(
    string? Vendor = null,
    string? Device = null,
    string? SubVendor = null,
    string? SubDevice = null,
    uint? Class = null,
    string? Revision = null)
{
    public static readonly DeviceIds None = new();

    /// <summary>"vvvv:dddd", or null when the bus has no such identity.</summary>
    public string? Id => Vendor is null || Device is null ? null : $"{Vendor}:{Device}";

    public string? SubsystemId => SubVendor is null || SubDevice is null ? null : $"{SubVendor}:{SubDevice}";

    /// <summary>Normalises "0x1af4", "1AF4" or "0x00001af4" to "1af4"; null for anything that is not hex.</summary>
    public static string? NormaliseHex16(string? raw)
    {
        if (raw is null) return null;
        var s = raw.Trim();
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) s = s[2..];
        if (s.Length == 0 || s.Length > 8 || !uint.TryParse(s, System.Globalization.NumberStyles.HexNumber, null, out var v) || v > 0xffff)
            return null;
        return v.ToString("x4");
    }

    public static uint? ParseHex(string? raw)
    {
        if (raw is null) return null;
        var s = raw.Trim();
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) s = s[2..];
        return s.Length is > 0 and <= 8 && uint.TryParse(s, System.Globalization.NumberStyles.HexNumber, null, out var v) ? v : null;
    }
}
