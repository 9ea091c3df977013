using AcceptD.Core.Drivers;
using FsCheck.Xunit;

namespace AcceptD.Core.Tests.Drivers;

public class ModuleFilesTests
{
    [Fact]
    public void Parses_alias_lines_normalising_dashes_outside_brackets()
    {
        var aliases = ModuleFiles.ParseAliases("""
            # Aliases extracted from modules themselves.
            alias pci:v00001AF4d*sv*sd*bc*sc*i* virtio_pci
            alias	of:N*T*Cfsl,imx-uart[-x]C*	imx-uart
            alias acpi*:PNP0C0C:* button extra-words-ignored

            alias missing-module
            alias bad]pattern foo
            alias unclosed[pattern foo
            aliases x y
            """);
        Assert.Equal([
            ("pci:v00001AF4d*sv*sd*bc*sc*i*", "virtio_pci"),
            ("of:N*T*Cfsl,imx_uart[-x]C*", "imx_uart"),
            ("acpi*:PNP0C0C:*", "button"),
        ], aliases);
    }

    [Fact]
    public void Reads_builtin_aliases_from_modinfo()
    {
        var aliases = ModuleFiles.ParseBuiltinModinfo(
            "zbud.alias=zpool-zbud\0zbud.license=GPL\0hmac.alias=crypto-hmac\0.alias=nameless\0noalias\0crc32c-generic.alias=crc32c\0");
        Assert.Equal([("zpool_zbud", "zbud"), ("crypto_hmac", "hmac"), ("crc32c", "crc32c_generic")], aliases);
    }

    [Fact]
    public void Reads_builtin_module_names() =>
        Assert.Equal(["amd_uncore", "unix", "crc32c_generic"], ModuleFiles.ParseBuiltin(
            "kernel/arch/x86/events/amd/amd-uncore.ko\n\nkernel/net/unix/unix.ko\r\n# note\nkernel/crypto/crc32c_generic.ko\n"));

    [Fact]
    public void Parses_dependency_lines_with_compressed_paths()
    {
        var deps = ModuleFiles.ParseDep("""
            kernel/drivers/net/virtio_net.ko.xz: kernel/drivers/net/net_failover.ko.xz kernel/net/core/failover.ko.xz
            kernel/net/core/failover.ko.xz:
            kernel/drivers/gpu/drm/tiny/bochs.ko.zst:	kernel/drivers/gpu/drm/drm-kms-helper.ko.zst
            garbage line without colon
            : no path
            """);
        Assert.Equal(3, deps.Count);
        Assert.Equal("kernel/drivers/net/virtio_net.ko.xz", deps["virtio_net"].RelativePath);
        Assert.Equal(["kernel/drivers/net/net_failover.ko.xz", "kernel/net/core/failover.ko.xz"], deps["virtio_net"].DependencyPaths);
        Assert.Empty(deps["failover"].DependencyPaths);
        Assert.Equal(["kernel/drivers/gpu/drm/drm-kms-helper.ko.zst"], deps["bochs"].DependencyPaths);
    }

    [Property]
    public bool Parsers_never_throw_on_arbitrary_text(string text)
    {
        text ??= "";
        _ = ModuleFiles.ParseAliases(text);
        _ = ModuleFiles.ParseBuiltinModinfo(text);
        _ = ModuleFiles.ParseBuiltin(text);
        _ = ModuleFiles.ParseDep(text).Values.Select(d => d.DependencyPaths).ToList();
        return true;
    }

    [Property]
    public bool Parsers_never_throw_on_alias_shaped_lines(string[] words)
    {
        var text = string.Join("\n", (words ?? []).Select(w => "alias " + w + " m" + w + ": " + w + ".alias=" + w + "\0"));
        _ = ModuleFiles.ParseAliases(text);
        _ = ModuleFiles.ParseBuiltinModinfo(text);
        _ = ModuleFiles.ParseDep(text).Values.Select(d => d.DependencyPaths).ToList();
        return true;
    }
}
