using System.CommandLine;
using AcceptD.Cli;
using AcceptD.Cli.Modalias;
using AcceptD.Testing;

namespace AcceptD.Cli.Tests.Modalias;

public class ModaliasCommandTests
{
    private const string VirtioNet = "pci:v00001AF4d00001000sv00001AF4sd00000001bc02sc00i00";

    private static readonly InMemoryFileView Files = new InMemoryFileView()
        .File("/proc/sys/kernel/osrelease", "6.1.0-test\n")
        .File("/lib/modules/6.1.0-test/modules.alias", """
            alias pci:v00001AF4d*sv*sd*bc*sc*i* virtio_pci
            alias pci:v*d*sv*sd*bc02sc00i* generic_nic
            """)
        .File("/etc/modprobe.d/bad.conf", "frobnicate\n");

    [Fact]
    public void Prints_one_line_per_modalias_with_an_empty_line_for_no_match()
    {
        var (code, output, error) = Resolve(null, [VirtioNet, "pci:nothing", "virtio-pci"]);
        Assert.Equal(0, code);
        Assert.Equal("virtio_pci generic_nic\n\n\n", output);
        Assert.Contains("/etc/modprobe.d/bad.conf:1: unknown command 'frobnicate'", error);
    }

    [Fact]
    public void A_missing_index_is_an_error_naming_the_directory()
    {
        var (code, output, error) = Resolve("/lib/modules/9.9.9", [VirtioNet]);
        Assert.Equal(ModaliasCommand.IndexMissing, code);
        Assert.Empty(output);
        Assert.Contains("no module index in /lib/modules/9.9.9", error);
    }

    [Fact]
    public void Runs_through_the_command_line_on_a_real_directory()
    {
        var dir = Directory.CreateTempSubdirectory("acceptd-modalias-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "modules.alias"), "alias virtio:d00000001v* virtio_net\n");
            var (code, output, _) = CliRunner.Run("modalias", "resolve", "--modules-dir", dir.FullName, "virtio:d00000001v00001AF4", "virtio:d00000002v00001AF4");
            Assert.Equal(0, code);
            Assert.Equal("virtio_net\n\n", output.Replace("\r\n", "\n"));

            var (missingCode, _, error) = CliRunner.Run("modalias", "resolve", "--modules-dir", dir.FullName + "/missing", "x");
            Assert.Equal(2, missingCode);
            Assert.Contains(dir.FullName + "/missing", error);
        }
        finally { dir.Delete(recursive: true); }
    }

    private static (int Code, string Output, string Error) Resolve(string? modulesDir, string[] aliases)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var code = ModaliasCommand.Resolve(Files, modulesDir, aliases, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
