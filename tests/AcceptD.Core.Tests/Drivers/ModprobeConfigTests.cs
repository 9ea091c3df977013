using AcceptD.Core.Drivers;
using AcceptD.Testing;
using FsCheck.Xunit;

namespace AcceptD.Core.Tests.Drivers;

public class ModprobeConfigTests
{
    private static readonly string[] Dirs = ["/etc/modprobe.d", "/usr/lib/modprobe.d"];

    private static ModprobeConfig Load(InMemoryFileView files, string? softdepFile = null) =>
        ModprobeConfig.Load(files, Dirs, softdepFile);

    [Fact]
    public void Reads_alias_blacklist_options_install_and_softdep_lines()
    {
        var config = Load(new InMemoryFileView().File("/etc/modprobe.d/a.conf", """
            # comment
            alias my-nic e1000-e
            blacklist snd-pcsp
            options snd-pcsp index=-2   foo=1
            options snd_pcsp bar=2
            install fake-module /bin/true
            softdep uhci-hcd pre: ehci-hcd ohci_hcd post: usb-storage
              alias indented-line indented
            """));
        Assert.Equal([("my_nic", "e1000_e"), ("indented_line", "indented")], config.Aliases);
        Assert.Contains("snd_pcsp", config.Blacklist);
        Assert.Equal("index=-2 foo=1 bar=2", config.OptionsFor("snd-pcsp"));
        Assert.Null(config.OptionsFor("e1000"));
        Assert.Contains("fake_module", config.InstallCommands);
        var softdep = config.SoftdepOf("uhci_hcd");
        Assert.NotNull(softdep);
        Assert.Equal(["ehci-hcd", "ohci_hcd"], softdep.Pre);
        Assert.Equal(["usb-storage"], softdep.Post);
        Assert.Empty(config.Warnings);
    }

    [Fact]
    public void A_file_in_an_earlier_directory_masks_the_same_name_in_a_later_one()
    {
        var config = Load(new InMemoryFileView()
            .File("/etc/modprobe.d/x.conf", "blacklist from_etc")
            .File("/usr/lib/modprobe.d/x.conf", "blacklist from_usr_lib_x")
            .File("/usr/lib/modprobe.d/y.conf", "blacklist from_usr_lib_y"));
        Assert.Equal(["from_etc", "from_usr_lib_y"], config.Blacklist.Order());
    }

    [Fact]
    public void Only_conf_files_are_read_and_hidden_files_are_skipped()
    {
        var config = Load(new InMemoryFileView()
            .File("/etc/modprobe.d/x.conf.dpkg-old", "blacklist old")
            .File("/etc/modprobe.d/.hidden.conf", "blacklist hidden")
            .File("/etc/modprobe.d/README", "blacklist readme")
            .File("/etc/modprobe.d/ok.conf", "blacklist ok"));
        Assert.Equal(["ok"], config.Blacklist);
    }

    [Fact]
    public void Files_are_read_in_name_order_and_the_first_softdep_wins()
    {
        var config = Load(new InMemoryFileView()
            .File("/usr/lib/modprobe.d/a.conf", "softdep m pre: from_a")
            .File("/etc/modprobe.d/b.conf", "softdep m pre: from_b")
            .File("/lib/modules/k/modules.softdep", "softdep m pre: from_depmod\nsoftdep n post: p"),
            "/lib/modules/k/modules.softdep");
        Assert.Equal(["from_a"], config.SoftdepOf("m")!.Pre);
        Assert.Equal(["p"], config.SoftdepOf("n")!.Post);
    }

    [Fact]
    public void Words_before_pre_or_post_are_ignored_but_the_line_still_comes_first()
    {
        var config = Load(new InMemoryFileView().File("/etc/modprobe.d/a.conf", "softdep cifs gcm\nsoftdep cifs pre: ccm"));
        Assert.Empty(config.SoftdepOf("cifs")!.Pre);
        Assert.Empty(config.Warnings);
    }

    [Fact]
    public void Backslash_continues_a_line()
    {
        var config = Load(new InMemoryFileView().File("/etc/modprobe.d/a.conf", "softdep m pre: a \\\n  b\nblacklist c"));
        Assert.Equal(["a", "b"], config.SoftdepOf("m")!.Pre);
        Assert.Contains("c", config.Blacklist);
    }

    [Fact]
    public void Bad_lines_are_skipped_with_a_warning_naming_file_and_line()
    {
        var config = Load(new InMemoryFileView().File("/etc/modprobe.d/bad.conf", """
            blacklist good
            frobnicate x
            alias lonely
            alias bad]alias m
            include /etc/other
            blacklist
            """));
        Assert.Equal(["good"], config.Blacklist);
        Assert.Empty(config.Aliases);
        Assert.Equal(5, config.Warnings.Count);
        Assert.StartsWith("/etc/modprobe.d/bad.conf:2: unknown command 'frobnicate'", config.Warnings[0]);
        Assert.StartsWith("/etc/modprobe.d/bad.conf:3:", config.Warnings[1]);
        Assert.Contains("unmatched bracket", config.Warnings[2]);
        Assert.StartsWith("/etc/modprobe.d/bad.conf:6:", config.Warnings[4]);
    }

    [Property]
    public bool Never_throws_on_arbitrary_text(string text)
    {
        var config = Load(new InMemoryFileView().File("/etc/modprobe.d/f.conf", text ?? ""));
        return config.Warnings.All(w => w.StartsWith("/etc/modprobe.d/f.conf:", StringComparison.Ordinal));
    }

    [Property]
    public bool Never_throws_on_command_shaped_lines(string[] args)
    {
        var commands = new[] { "alias", "blacklist", "options", "install", "softdep", "remove" };
        var text = string.Join("\n", (args ?? []).Select((a, i) => commands[i % commands.Length] + " " + a));
        _ = Load(new InMemoryFileView().File("/etc/modprobe.d/f.conf", text));
        return true;
    }
}
