using System.Collections.Immutable;

namespace AcceptD.Core.Devices;

/// <summary>
/// One device on one bus, as sysfs shows it at one moment. Immutable: a later look is a new Device.
/// </summary>
/// <param name="Bus">Bus name, e.g. "pci", "virtio".</param>
/// <param name="Name">Name on the bus, e.g. "0000:00:03.0", "virtio0".</param>
/// <param name="Path">Canonical path below /sys without the "/sys" prefix, e.g. "/devices/pci0000:00/0000:00:03.0".</param>
/// <param name="Modalias">The modalias attribute, null when the bus has none.</param>
/// <param name="Driver">Name of the bound driver, null when unbound.</param>
/// <param name="DriverOverride">Content of driver_override (null when unset or absent).</param>
/// <param name="HasDriverOverride">Whether the device has a driver_override file.</param>
/// <param name="TdispCapable">Whether the device shows the guest TDISP interface (a tsm/lock file).</param>
/// <param name="Attributes">Further attributes read because a policy rule names them.</param>
/// <param name="TsmLockedBy">The TSM named by tsm/lock (null when unlocked or not TDISP-capable).</param>
/// <param name="TsmAccepted">Whether tsm/accept reads 1.</param>
public sealed record Device(
    string Bus,
    string Name,
    string Path,
    string? Modalias,
    string? Driver,
    DeviceIds Ids,
    string? DriverOverride = null,
    bool HasDriverOverride = false,
    bool TdispCapable = false,
    ImmutableSortedDictionary<string, string>? Attributes = null,
    string? TsmLockedBy = null,
    bool TsmAccepted = false)
{
    public ImmutableSortedDictionary<string, string> Attributes { get; init; } =
        Attributes ?? ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>The sysfs path of the device directory, e.g. "/sys/devices/pci0000:00/0000:00:03.0".</summary>
    public string SysPath => "/sys" + Path;

    /// <summary>"bus/name": unique across buses, the key AcceptD uses everywhere.</summary>
    public string Key => Bus + "/" + Name;

    public bool IsBound => Driver is not null;

    public override string ToString() => Key;

    // Value equality including the attribute contents (the generated Equals would compare the dictionary by reference).
    public bool Equals(Device? other) =>
        other is not null && Bus == other.Bus && Name == other.Name && Path == other.Path && Modalias == other.Modalias &&
        Driver == other.Driver && Ids == other.Ids && DriverOverride == other.DriverOverride &&
        HasDriverOverride == other.HasDriverOverride && TdispCapable == other.TdispCapable &&
        TsmLockedBy == other.TsmLockedBy && TsmAccepted == other.TsmAccepted &&
        Attributes.SequenceEqual(other.Attributes);

    public override int GetHashCode() => HashCode.Combine(Bus, Name, Path, Driver);
}
