using System.Collections.Immutable;

namespace AcceptD.Os.DBus;

/// <summary>One D-Bus interface as introspection describes it: the single source of names and signatures for vtable and handlers.</summary>
public sealed record BusInterfaceInfo(
    string Name,
    ImmutableArray<BusMethodInfo> Methods,
    ImmutableArray<BusSignalInfo> Signals,
    ImmutableArray<BusPropertyInfo> Properties);

public sealed record BusArg(string Name, string Type, bool IsOut);

public sealed record BusMethodInfo(string Name, ImmutableArray<BusArg> Args)
{
    public string InSignature => string.Concat(Args.Where(a => !a.IsOut).Select(a => a.Type));
    public string OutSignature => string.Concat(Args.Where(a => a.IsOut).Select(a => a.Type));
}

public sealed record BusSignalInfo(string Name, ImmutableArray<BusArg> Args)
{
    public string Signature => string.Concat(Args.Select(a => a.Type));
}

/// <summary>
/// A read-only property (sd-bus vtables here export no setters); <paramref name="EmitsChangedSignal"/> is the value of
/// the D-Bus annotation org.freedesktop.DBus.Property.EmitsChangedSignal, "true" when absent.
/// </summary>
public sealed record BusPropertyInfo(string Name, string Type, string EmitsChangedSignal = "true")
{
    /// <summary>Checked here because anything else would silently become "false" in the vtable.</summary>
    public string EmitsChangedSignal { get; } = EmitsChangedSignal is "true" or "false" or "const" or "invalidates"
        ? EmitsChangedSignal
        : throw new ArgumentException($"property {Name}: EmitsChangedSignal must be true, false, const or invalidates, not '{EmitsChangedSignal}'",
            nameof(EmitsChangedSignal));
}
