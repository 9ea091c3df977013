using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using AcceptD.Testing;

namespace AcceptD.Cli.Tests.HostileInputs;

/// <summary>Every verb on empty, missing and wrong-kind paths, hostile files and hostile device names: a clear message, the documented exit code.</summary>
public sealed class HostileInputCliTests : IDisposable
{
    private readonly FakeSysfs _tree = FakeSysfs.Create();
    private readonly string _dir = Directory.CreateTempSubdirectory("acceptd-hostile-").FullName;

    public HostileInputCliTests()
    {
        _tree.AddPciDevice("0000:00:03.0", "0x1af4", "0x1000", "0x020000");
        _tree.WriteModulesFile("modules.alias", "alias pci:v00001AF4d00001000sv*sd*bc*sc*i* virtio_pci\n");
        _tree.WriteModulesFile("modules.dep", "kernel/virtio_pci.ko:\n");
    }

    public void Dispose()
    {
        _tree.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private string Policy(string name, byte[] content)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_dir, "policy-" + name)).FullName;
        File.WriteAllBytes(Path.Combine(dir, name), content);
        return dir;
    }

    [Theory]
    [InlineData("--policy", "", "--policy '': empty value; name a directory")]
    [InlineData("--sysfs-root", "", "--sysfs-root '': empty value; name a directory")]
    [InlineData("--snapshot", "", "--snapshot '': empty value; name a file")]
    [InlineData("--policy", "/nonexistent", "--policy '/nonexistent': no such directory")]
    [InlineData("--sysfs-root", "/nonexistent", "--sysfs-root '/nonexistent': no such directory")]
    [InlineData("--policy", "/etc/hostname", "--policy '/etc/hostname': is a file, not a directory")]
    [InlineData("--snapshot", "/tmp", "--snapshot '/tmp': is a directory, not a file")]
    public void Empty_missing_or_wrong_kind_paths_are_usage_errors(string option, string value, string message)
    {
        foreach (var verb in new[] { new[] { "dry-run" }, ["daemon", "--dry-run"] })
        {
            var (exit, output, error) = CliRunner.Run([.. verb, option, value]);
            Assert.Equal(2, exit);
            Assert.Equal("", output);
            Assert.Contains("acceptd: " + message, error);
            Assert.DoesNotContain("   at ", error); // no stack trace
        }
    }

    [Fact]
    public void An_explicit_config_that_is_missing_or_a_directory_stops_the_daemon_before_it_starts()
    {
        var (exit, _, error) = CliRunner.Run("daemon", "--dry-run", "--sysfs-root", _tree.Root, "--config", _dir + "/missing.conf");
        Assert.Equal((2, true), (exit, error.Contains($"--config '{_dir}/missing.conf': no such file")));
        (exit, _, error) = CliRunner.Run("daemon", "--dry-run", "--sysfs-root", _tree.Root, "--config", _dir);
        Assert.Equal((2, true), (exit, error.Contains("is a directory, not a file")));
    }

    [Fact]
    public void A_directory_a_fifo_or_invalid_utf8_named_as_a_rules_file_fails_the_check_naming_it()
    {
        var dir = Directory.CreateDirectory(Path.Combine(_dir, "rules.d")).FullName;
        Directory.CreateDirectory(Path.Combine(dir, "x.rules"));
        var (exit, _, error) = CliRunner.Run("policy", "check", dir);
        Assert.Equal(1, exit);
        Assert.Contains($"{dir}/x.rules: cannot read policy file: {dir}/x.rules: is a directory", error);

        var fifo = Directory.CreateDirectory(Path.Combine(_dir, "fifo.d")).FullName;
        Assert.Equal(0, KernelTree.Run("mkfifo", [Path.Combine(fifo, "50-x.rules")]).Code);
        (exit, _, error) = CliRunner.Run("policy", "check", fifo);
        Assert.Equal((1, true), (exit, error.Contains("50-x.rules: is a FIFO, not a regular file")));

        var utf8 = Policy("50-bad.rules", [.. "default deny\nallow name=\"a"u8, 0xc3, 0x28, .. "\"\n"u8]);
        (exit, _, error) = CliRunner.Run("policy", "check", utf8);
        Assert.Equal((1, true), (exit, error.Contains("50-bad.rules: line 2: not valid UTF-8")));
    }

    [Fact]
    public void Explain_on_a_snapshot_listing_a_device_twice_is_a_usage_error()
    {
        var archive = Path.Combine(_dir, "twice.tar.gz");
        using (var file = File.Create(archive))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Ustar))
        {
            var manifest = """{"version":1,"created":"2026-01-01T00:00:00+00:00","host":"h","listings":{"/sys/bus/pci/devices":["0000:00:03.0","0000:00:03.0"]},"present":[]}""";
            tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, "manifest.json") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(manifest)) });
        }
        var (exit, output, error) = CliRunner.Run("policy", "explain", "pci/0000:00:03.0", "--snapshot", archive, "--policy", CliRunner.ShippedPolicy);
        Assert.Equal((2, ""), (exit, output));
        Assert.Contains("twice.tar.gz: not a valid AcceptD snapshot (listing /sys/bus/pci/devices names '0000:00:03.0' twice)", error);
    }

    [Fact]
    public void A_host_with_a_newline_in_a_device_name_gets_no_snapshot_written()
    {
        Directory.CreateDirectory(_tree.Root + "/sys/bus/pci/devices/0000:00:09.0\nforged");
        var archive = Path.Combine(_dir, "out.tar.gz");
        var (exit, _, error) = CliRunner.Run("snapshot", "-o", archive, "--sysfs-root", _tree.Root, "--policy", CliRunner.ShippedPolicy);
        Assert.Equal(1, exit);
        Assert.Contains("not written: listing /sys/bus/pci/devices has an entry '0000:00:09.0\\nforged' that contains a control character", error);
        Assert.False(File.Exists(archive));
    }

    [Fact]
    public void Hostile_device_names_are_escaped_in_tables_and_generated_rules()
    {
        _tree.AddBus("platform");
        _tree.AddDevice("platform", "evil\u001b[2J\nallow bus=*", "/devices/platform/evil", new Dictionary<string, string>());
        var (exit, output, _) = CliRunner.Run("dry-run", "--sysfs-root", _tree.Root, "--policy", CliRunner.ShippedPolicy);
        Assert.Equal(0, exit);
        Assert.DoesNotContain('\u001b', output);
        Assert.Contains("platform/evil\\x1b[2J\\nallow bus=*", output);

        (exit, output, _) = CliRunner.Run("generate-policy", "--sysfs-root", _tree.Root);
        Assert.Equal(0, exit);
        Assert.DoesNotContain('\u001b', output);
        var rules = output.Split('\n').Where(l => l.StartsWith("allow ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, rules.Count); // one line per device, none split by the newline in the name
        Assert.Contains(rules, r => r.Contains("name=\"evil?\\\\[2J?allow bus=\\\\*\""));
    }
}
