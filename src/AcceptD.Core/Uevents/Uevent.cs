using System.Collections.Immutable;

namespace AcceptD.Core.Uevents;

/// <summary>One kernel uevent: "ACTION@DEVPATH" followed by KEY=VALUE properties. A hint, never the truth:
/// AcceptD re-reads sysfs before acting on it.</summary>
public sealed record Uevent(string Action, string DevPath, string Subsystem, ulong SeqNum, ImmutableDictionary<string, string> Properties)
{
    public string? Get(string key) => Properties.GetValueOrDefault(key);

    public string? Driver => Get("DRIVER");

    public string? Modalias => Get("MODALIAS");

    /// <summary>"add@/bus/virtio": a bus registered (a module created it) and starts with autoprobe on.</summary>
    public bool IsBusAdded => Action == "add" && Subsystem == "bus" && DevPath.StartsWith("/bus/", StringComparison.Ordinal);

    /// <summary>The bus name for bus events, e.g. "virtio" for "/bus/virtio".</summary>
    public string? BusName => IsBusAdded ? DevPath["/bus/".Length..] : null;

    /// <summary>Synthetic events we triggered ourselves carry our UUID (kernel ABI sysfs-uevent).</summary>
    public string? SynthUuid => Get("SYNTH_UUID");

    public override string ToString() => $"{Action}@{DevPath} ({Subsystem}, seq {SeqNum})";
}
