using AcceptD.Core.Devices;
using AcceptD.Core.Drivers;

namespace AcceptD.Core.Tests.Drivers;

public class DriverResolverTests
{
    private static readonly ModuleIndex Index = ModuleIndex.Load(ModuleIndexTests.Tree(), "/lib/modules/6.1.0-test", []);

    private static Device Pci(string modalias, string? driver = null) =>
        new("pci", "0000:00:03.0", "/devices/pci0000:00/0000:00:03.0", modalias, driver, DeviceIds.None);

    private const string VirtioNic = "pci:v00001AF4d00001000sv00001AF4sd00000001bc02sc00i00";
    private const string Mlx5 = "pci:v000015B3d0000101Esv000015B3sd00000001bc02sc00i00";

    [Fact]
    public void Names_drivers_of_loaded_modules_then_known_names_then_guesses()
    {
        var catalog = new DriverCatalog([new RegisteredDriver("pci", "generic-nic", "generic_nic", true)]);
        var candidates = new DriverResolver(Index, catalog).Candidates(Pci(VirtioNic));
        Assert.Equal([
            new Candidate("virtio_pci", "virtio-pci", DriverNameSource.Learned),
            new Candidate("generic_nic", "generic-nic", DriverNameSource.Loaded),
        ], candidates);
    }

    [Fact]
    public void A_module_without_a_known_driver_name_is_a_guess()
    {
        var candidates = new DriverResolver(Index, DriverCatalog.Empty).Candidates(Pci(VirtioNic));
        Assert.Equal(new Candidate("generic_nic", null, DriverNameSource.Guessed), candidates[1]);
        Assert.Equal("generic_nic", candidates[1].DriverOrModule);
    }

    [Fact]
    public void Learned_names_override_the_shipped_table()
    {
        var learned = new Dictionary<string, string> { ["virtio_pci"] = "virtio-pci-new", ["generic_nic"] = "gnic" };
        var candidates = new DriverResolver(Index, DriverCatalog.Empty, learned).Candidates(Pci(VirtioNic));
        Assert.Equal(["virtio-pci-new", "gnic"], candidates.Select(c => c.Driver));
        Assert.All(candidates, c => Assert.Equal(DriverNameSource.Learned, c.Source));
    }

    [Fact]
    public void A_bound_driver_comes_first_and_is_not_repeated()
    {
        var catalog = new DriverCatalog([new RegisteredDriver("pci", "virtio-pci", "virtio_pci", true)]);
        var candidates = new DriverResolver(Index, catalog).Candidates(Pci(VirtioNic, driver: "virtio-pci"));
        Assert.Equal([
            new Candidate("virtio_pci", "virtio-pci", DriverNameSource.Bound),
            new Candidate("generic_nic", null, DriverNameSource.Guessed),
        ], candidates);
    }

    [Fact]
    public void A_bound_driver_without_a_module_is_builtin()
    {
        var catalog = new DriverCatalog([new RegisteredDriver("pci", "pcieport", null, true)]);
        var bound = new DriverResolver(Index, catalog).Candidates(Pci("pci:nomatch", driver: "pcieport")).Single();
        Assert.Equal(new Candidate("pcieport", "pcieport", DriverNameSource.Bound, Builtin: true), bound);
    }

    [Fact]
    public void Builtin_modules_are_marked()
    {
        var device = new Device("virtio", "virtio1", "/devices/virtio1", "virtio:d00000002v00001AF4", null, DeviceIds.None);
        Assert.Equal(new Candidate("virtio_blk", "virtio_blk", DriverNameSource.Learned, Builtin: true),
            new DriverResolver(Index, DriverCatalog.Empty).Candidates(device).Single());
    }

    [Fact]
    public void Drivers_on_other_buses_do_not_count_as_loaded()
    {
        var catalog = new DriverCatalog([new RegisteredDriver("platform", "generic-nic-platform", "generic_nic", true)]);
        Assert.Equal(DriverNameSource.Guessed, new DriverResolver(Index, catalog).Candidates(Pci(VirtioNic))[1].Source);
    }

    [Fact]
    public void A_device_without_modalias_has_no_candidates() =>
        Assert.Empty(new DriverResolver(Index, DriverCatalog.Empty).Candidates(
            new Device("pci", "x", "/devices/x", null, null, DeviceIds.None)));

    [Fact]
    public void Override_only_candidates_are_marked_and_most_specific_first()
    {
        var candidates = new DriverResolver(Index, DriverCatalog.Empty).OverrideOnlyCandidates(Pci(Mlx5), "vfio_");
        Assert.Equal(["exact_vfio", "mlx5_vfio_pci", "generic_vfio"], candidates.Select(c => c.Module));
        Assert.All(candidates, c => Assert.True(c.OverrideOnly));
        Assert.Equal(["generic_nic"], new DriverResolver(Index, DriverCatalog.Empty).Candidates(Pci(Mlx5)).Select(c => c.Module));
    }
}
