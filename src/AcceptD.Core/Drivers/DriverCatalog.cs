using System.Collections.Immutable;

namespace AcceptD.Core.Drivers;

/// <summary>A driver registered on a bus now, and the module that registered it (null for built-ins without mod_name).</summary>
public sealed record RegisteredDriver(string Bus, string Name, string? Module, bool HasBindFile);

/// <summary>The drivers the kernel has registered, per bus: what can be bound without loading anything.</summary>
public sealed class DriverCatalog
{
    private readonly ILookup<string, RegisteredDriver> _byModule;

    public DriverCatalog(IEnumerable<RegisteredDriver> drivers)
    {
        Drivers = drivers.OrderBy(d => d.Bus, StringComparer.Ordinal).ThenBy(d => d.Name, StringComparer.Ordinal).ToImmutableArray();
        _byModule = Drivers.Where(d => d.Module is not null).ToLookup(d => ModuleName.Normalise(d.Module!), StringComparer.Ordinal);
    }

    public static readonly DriverCatalog Empty = new([]);

    public ImmutableArray<RegisteredDriver> Drivers { get; }

    /// <summary>Drivers that a module registered on a bus ("virtio_pci" on "pci" gives "virtio-pci").</summary>
    public IEnumerable<RegisteredDriver> OfModule(string module, string bus) =>
        _byModule[ModuleName.Normalise(module)].Where(d => d.Bus == bus);

    public RegisteredDriver? Find(string bus, string driver) =>
        Drivers.FirstOrDefault(d => d.Bus == bus && d.Name == driver);
}
