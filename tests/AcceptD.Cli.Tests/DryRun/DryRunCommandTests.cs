using System.Text.Json;
using AcceptD.Testing;

namespace AcceptD.Cli.Tests.DryRun;

/// <summary>dry-run, snapshot, explain and generate-policy against a sysfs-shaped tree, with the shipped policy.</summary>
public sealed class DryRunCommandTests : IDisposable
{
    private readonly FakeSysfs _tree = FakeSysfs.Create();
    private readonly string _out = Directory.CreateTempSubdirectory("acceptd-dryrun-").FullName;

    public DryRunCommandTests()
    {
        _tree.AddPciDevice("0000:00:03.0", "0x1af4", "0x1000", "0x020000");
        _tree.AddPciDevice("0000:00:04.0", "0x8086", "0x100e", "0x020000");
        _tree.AddBus("cpu");
        _tree.AddDevice("cpu", "cpu0", "/devices/system/cpu/cpu0", new Dictionary<string, string>());
        _tree.WriteModulesFile("modules.alias", "alias pci:v00001AF4d00001000sv*sd*bc*sc*i* virtio_pci\nalias pci:v00008086d0000100Esv*sd*bc*sc*i* e1000\n");
        _tree.WriteModulesFile("modules.dep", "kernel/virtio_pci.ko: kernel/virtio.ko\nkernel/virtio.ko:\nkernel/e1000.ko:\n");
    }

    private (int, string, string) Run(params string[] args) =>
        CliRunner.Run([.. args, "--sysfs-root", _tree.Root, "--policy", CliRunner.ShippedPolicy]);

    [Fact]
    public void The_table_shows_each_decision_and_the_writes_it_would_make()
    {
        var before = Directory.GetFiles(_tree.Root, "*", SearchOption.AllDirectories).Select(File.ReadAllText).ToList();
        var (exit, output, error) = Run("dry-run");
        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.Matches(@"pci/0000:00:03\.0\s+1af4:1000\s+allow\s+virtio-pci \(learned\)\s+bound\s+50-cc-default\.rules:\d+", output);
        Assert.Matches(@"pci/0000:00:04\.0\s+8086:100e\s+deny\s+-\s+denied", output);
        Assert.Matches(@"cpu/cpu0\s+-\s+ignore", output);
        Assert.Contains("load module virtio (kernel/virtio.ko)", output);
        Assert.Contains("write '0000:00:03.0' to /sys/bus/pci/drivers/virtio-pci/bind", output);
        Assert.Contains("write 'none' to /sys/devices/pci0000:00/0000:00:04.0/driver_override", output);
        Assert.DoesNotContain("e1000.ko", output);
        Assert.Equal(before, Directory.GetFiles(_tree.Root, "*", SearchOption.AllDirectories).Select(File.ReadAllText).ToList());
    }

    [Fact]
    public void Json_output_follows_the_documented_schema()
    {
        var (exit, output, _) = Run("dry-run", "--json");
        Assert.Equal(0, exit);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal("acceptd-dry-run/1", json.GetProperty("schema").GetString());
        var virtio = json.GetProperty("devices").EnumerateArray().Single(d => d.GetProperty("key").GetString() == "pci/0000:00:03.0");
        Assert.Equal("allow", virtio.GetProperty("verdict").GetString());
        Assert.Equal("virtio_pci", virtio.GetProperty("chosen").GetProperty("module").GetString());
        Assert.Equal("learned", virtio.GetProperty("chosen").GetProperty("driverSource").GetString());
        Assert.Equal("bound", virtio.GetProperty("outcome").GetString());
        Assert.Equal(6, virtio.GetProperty("writes").GetArrayLength());
    }

    [Fact]
    public void A_snapshot_replays_the_same_dry_run_elsewhere()
    {
        var file = Path.Combine(_out, "host.tar.gz");
        var (exit, output, _) = CliRunner.Run("snapshot", "-o", file, "--sysfs-root", _tree.Root);
        Assert.Equal(0, exit);
        Assert.StartsWith("wrote ", output);
        var live = Run("dry-run", "--json").Item2;
        var replay = CliRunner.Run("dry-run", "--json", "--snapshot", file, "--policy", CliRunner.ShippedPolicy).Item2;
        static string Devices(string json) => JsonDocument.Parse(json).RootElement.GetProperty("devices").GetRawText();
        Assert.Equal(Devices(live), Devices(replay));
    }

    [Fact]
    public void A_broken_snapshot_or_policy_is_an_error_naming_the_file_and_nothing_is_printed_as_decided()
    {
        var bad = Path.Combine(_out, "bad.tar.gz");
        File.WriteAllText(bad, "not a snapshot");
        var (exit, output, error) = CliRunner.Run("dry-run", "--snapshot", bad);
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains("bad.tar.gz: not an AcceptD snapshot", error);

        var policy = Directory.CreateDirectory(Path.Combine(_out, "policy")).FullName;
        File.WriteAllText(Path.Combine(policy, "10-x.rules"), "allow bus=pci\nallow vendr=1af4\n");
        (exit, output, error) = CliRunner.Run("dry-run", "--sysfs-root", _tree.Root, "--policy", policy);
        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Contains("10-x.rules:2:7: unknown key 'vendr'", error);
    }

    [Fact]
    public void Explain_shows_the_deciding_rule_and_names_an_unknown_device()
    {
        var (exit, output, _) = Run("policy", "explain", "0000:00:04.0");
        Assert.Equal(0, exit);
        Assert.Contains("device pci/0000:00:04.0", output);
        Assert.Contains("outcome: denied", output);
        Assert.Contains("would write 'none' to", output);

        var (missing, _, error) = Run("policy", "explain", "pci/0000:00:09.0");
        Assert.Equal(2, missing);
        Assert.Contains("no device 'pci/0000:00:09.0'", error);
    }

    [Fact]
    public void Generate_policy_writes_rules_that_the_policy_check_accepts()
    {
        var (exit, output, _) = CliRunner.Run("generate-policy", "--sysfs-root", _tree.Root);
        Assert.Equal(0, exit);
        Assert.Matches(@"allow bus=pci .*name=0000:00:03\.0.* driver=virtio-pci", output);
        var dir = Directory.CreateDirectory(Path.Combine(_out, "generated")).FullName;
        File.WriteAllText(Path.Combine(dir, "20-generated.rules"), output + "default deny\n");
        var (check, checkOutput, checkError) = CliRunner.Run("policy", "check", dir);
        Assert.True(check == 0, checkOutput + checkError);
    }

    public void Dispose()
    {
        _tree.Dispose();
        Directory.Delete(_out, true);
    }
}
