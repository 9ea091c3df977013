using AcceptD.Core.Drivers;
using AcceptD.Testing;
using FsCheck.Xunit;

namespace AcceptD.Core.Tests.Drivers;

public class ModuleIndexTests
{
    private const string Dir = "/lib/modules/6.1.0-test";
    private const string VirtioNet = "pci:v00001AF4d00001000sv00001AF4sd00000001bc02sc00i00";

    internal static InMemoryFileView Tree() => new InMemoryFileView()
        .File(Dir + "/modules.alias", """
            # Aliases extracted from modules themselves.
            alias pci:v00001AF4d*sv*sd*bc*sc*i* virtio_pci
            alias pci:v*d*sv*sd*bc02sc00i* generic_nic
            alias virtio:d00000001v* virtio_net
            alias crypto-crc32c crc32c_intel
            alias crypto-crc32c crc32c_generic
            alias vfio_pci:v000015B3d0000101Esv*sd*bc*sc*i* mlx5_vfio_pci
            alias vfio_pci:v000015B3d*sv*sd*bc*sc*i* generic_vfio
            alias vfio_pci:v000015B3d0000101Esv*sd*bc02sc*i* exact_vfio
            alias pci:v0000ABCDd*sv*sd*bc*sc*i* e1000
            alias fs-tracefs not_used_because_builtin_alias_later
            """)
        .File(Dir + "/modules.dep", """
            kernel/drivers/virtio/virtio_pci.ko.xz: kernel/drivers/virtio/virtio_pci_modern_dev.ko.xz kernel/drivers/virtio/virtio_pci_legacy_dev.ko.xz
            kernel/drivers/virtio/virtio_pci_modern_dev.ko.xz:
            kernel/drivers/virtio/virtio_pci_legacy_dev.ko.xz:
            kernel/drivers/net/virtio_net.ko.xz: kernel/drivers/net/net_failover.ko.xz kernel/net/core/failover.ko.xz
            kernel/drivers/net/net_failover.ko.xz: kernel/net/core/failover.ko.xz
            kernel/net/core/failover.ko.xz:
            kernel/arch/x86/crypto/crc32c-intel.ko.zst:
            kernel/crypto/crc32c_generic.ko.zst:
            kernel/drivers/usb/host/ehci-hcd.ko:
            kernel/drivers/usb/host/uhci-hcd.ko: kernel/drivers/usb/common/usb-common.ko
            kernel/drivers/usb/common/usb-common.ko:
            kernel/drivers/usb/storage/usb-storage.ko:
            kernel/drivers/net/e1000.ko.gz:
            kernel/drivers/vfio/pci/mlx5-vfio-pci.ko.xz:
            """)
        .File(Dir + "/modules.builtin", "kernel/net/unix/unix.ko\nkernel/drivers/block/virtio_blk.ko\n")
        .File(Dir + "/modules.builtin.modinfo", "tracefs.alias=fs-tracefs\0virtio_blk.alias=virtio:d00000002v*\0unix.alias=net-pf-1\0")
        .File(Dir + "/modules.softdep", "softdep uhci_hcd pre: ehci_hcd post: usb-storage\n")
        .File("/etc/modprobe.d/local.conf", """
            alias my-nic e1000
            alias virtio:d00000001v00001AF4 configured_net
            blacklist virtio_net
            options e1000 debug=1
            """);

    private static readonly ModuleIndex Index = ModuleIndex.Load(Tree(), Dir);

    [Fact]
    public void Resolves_a_modalias_from_modules_alias_returning_every_match() =>
        Assert.Equal(["virtio_pci", "generic_nic"], Index.Resolve(VirtioNet));

    [Fact]
    public void Modprobe_d_aliases_come_first_and_win() =>
        Assert.Equal(["configured_net"], Index.Resolve("virtio:d00000001v00001AF4"));

    [Fact]
    public void A_module_name_resolves_to_itself_before_aliases() =>
        Assert.Equal(["e1000"], Index.Resolve("e1000"));

    [Fact]
    public void Dashes_and_underscores_are_equal_in_names_and_aliases()
    {
        Assert.Equal(["crc32c_intel"], Index.Resolve("crc32c-intel"));
        Assert.Equal(["crc32c_intel", "crc32c_generic"], Index.Resolve("crypto_crc32c"));
        Assert.Equal(["e1000"], Index.Resolve("my_nic"));
    }

    [Fact]
    public void Builtin_aliases_come_after_modules_alias_and_builtin_names_last()
    {
        Assert.Equal(["not_used_because_builtin_alias_later"], Index.Resolve("fs-tracefs"));
        Assert.Equal(["virtio_blk"], Index.Resolve("virtio:d00000002v00001AF4"));
        Assert.Equal(["unix"], Index.Resolve("unix"));
        Assert.Equal(["unix"], Index.Resolve("net-pf-1"));
    }

    [Theory]
    [InlineData("pci:v00001af4d00001000sv00001AF4sd00000001bc03sc00i00")] // no case folding
    [InlineData("virtio_pci_missing")]
    [InlineData("bad]alias")]
    [InlineData("bad[alias")]
    [InlineData("")]
    public void Unknown_or_malformed_aliases_resolve_to_nothing(string alias) =>
        Assert.Empty(Index.Resolve(alias));

    [Fact]
    public void Override_only_aliases_are_invisible_to_normal_lookups() =>
        Assert.Equal(["generic_nic"], Index.Resolve("pci:v000015B3d0000101Esv000015B3sd00000001bc02sc00i00"));

    [Fact]
    public void Override_only_lookup_orders_by_fewest_wildcards() =>
        Assert.Equal(["exact_vfio", "mlx5_vfio_pci", "generic_vfio"],
            Index.ResolveOverrideOnly("vfio_", "pci:v000015B3d0000101Esv000015B3sd00000001bc02sc00i00"));

    [Fact]
    public void Override_only_lookup_needs_the_prefix_literally() =>
        Assert.Empty(Index.ResolveOverrideOnly("ccprepare_", "pci:v000015B3d0000101Esv000015B3sd00000001bc02sc00i00"));

    [Fact]
    public void Answers_builtin_blacklist_exists_and_options()
    {
        Assert.True(Index.IsBuiltin("unix"));
        Assert.True(Index.IsBuiltin("tracefs"));
        Assert.False(Index.IsBuiltin("virtio_pci"));
        Assert.True(Index.IsBlacklisted("virtio-net"));
        Assert.False(Index.IsBlacklisted("virtio_pci"));
        Assert.True(Index.Exists("mlx5-vfio-pci"));
        Assert.True(Index.Exists("virtio_blk"));
        Assert.False(Index.Exists("nope"));
        Assert.Equal("debug=1", Index.OptionsFor("e1000"));
        Assert.Null(Index.OptionsFor("virtio_pci"));
    }

    [Fact]
    public void Load_order_puts_dependencies_deepest_first()
    {
        Assert.Equal([
            new ModuleFile("failover", "kernel/net/core/failover.ko.xz"),
            new ModuleFile("net_failover", "kernel/drivers/net/net_failover.ko.xz"),
            new ModuleFile("virtio_net", "kernel/drivers/net/virtio_net.ko.xz"),
        ], Index.LoadOrder("virtio-net"));
        Assert.Equal(["virtio_pci_legacy_dev", "virtio_pci_modern_dev", "virtio_pci"], Index.LoadOrder("virtio_pci").Select(f => f.Name));
    }

    [Fact]
    public void Load_order_puts_softdeps_after_dependencies_around_the_module() =>
        Assert.Equal(["usb_common", "ehci_hcd", "uhci_hcd", "usb_storage"], Index.LoadOrder("uhci-hcd").Select(f => f.Name));

    [Fact]
    public void Load_order_is_empty_for_builtin_and_unknown_modules()
    {
        Assert.Empty(Index.LoadOrder("virtio_blk"));
        Assert.Empty(Index.LoadOrder("nope"));
    }

    [Fact]
    public void Reads_a_text_modules_builtin_alias_in_preference_to_modinfo()
    {
        var index = ModuleIndex.Load(Tree().File(Dir + "/modules.builtin.alias", "alias virtio:d00000002v* from_text\n"), Dir);
        Assert.Equal(["from_text"], index.Resolve("virtio:d00000002v00001AF4"));
    }

    [Fact]
    public void Uses_the_given_modprobe_directories_only()
    {
        var index = ModuleIndex.Load(Tree(), Dir, ["/run/modprobe.d"]);
        Assert.False(index.IsBlacklisted("virtio_net"));
        Assert.Equal(["virtio_net"], index.Resolve("virtio:d00000001v00001AF4"));
    }

    [Fact]
    public void A_directory_without_an_index_is_not_available()
    {
        var index = ModuleIndex.Load(new InMemoryFileView().File("/etc/modprobe.d/a.conf", "alias x y"), "/lib/modules/none/");
        Assert.False(index.IsAvailable);
        Assert.True(Index.IsAvailable);
        Assert.False(ModuleIndex.Empty.IsAvailable);
        Assert.Empty(ModuleIndex.Empty.Resolve(VirtioNet));
    }

    [Property]
    public bool Resolve_never_throws(string alias)
    {
        _ = Index.Resolve(alias ?? "");
        _ = Index.ResolveOverrideOnly("vfio_", alias ?? "");
        _ = Index.LoadOrder(alias ?? "");
        return true;
    }
}
