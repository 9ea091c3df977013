using AcceptD.Cli;
using AcceptD.Core.Policy;

namespace AcceptD.Cli.Tests.Policy;

public sealed class PolicyCheckCommandTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("acceptd-policy-check-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string Write(string relative, string text)
    {
        var path = Path.Combine(_dir.FullName, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private static (int ExitCode, string Output, string Error) Run(params string[] args) => CliRunner.Run(["policy", "check", .. args]);

    [Fact]
    public void A_good_directory_passes_with_a_summary()
    {
        Write("rules.d/10-a.rules", "allow bus=virtio module=virtio_net\n");
        Write("rules.d/50-b.rules", "# comment\nignore bus=cpu\ndefault deny\n");
        var (exit, output, error) = Run(Path.Combine(_dir.FullName, "rules.d"));
        Assert.Equal(0, exit);
        Assert.Equal("policy OK: 2 rules in 2 files\n", output);
        Assert.Equal("", error);
    }

    [Fact]
    public void Errors_are_printed_as_file_line_column_and_fail()
    {
        var file = Write("bad.rules", "allow bus=pci\nallow colour=red\ndeny bus=\ndefault deny\n");
        var (exit, output, error) = Run(file);
        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Equal($"{file}:2:7: unknown key 'colour'\n{file}:3:10: empty value for 'bus'\n", error);
    }

    [Fact]
    public void Errors_across_files_are_all_reported()
    {
        var first = Write("10-a.rules", "default deny\n");
        var second = Write("20-b.rules", "default allow\nallow bus=pci\nallow bus=pci\n");
        var (exit, _, error) = Run(second, first);
        Assert.Equal(1, exit);
        Assert.Contains($"{second}:1:1: more than one 'default' (first at {first}:1)", error);
        Assert.Contains($"{second}:3:1: duplicate of rule at {second}:2", error);
    }

    [Fact]
    public void A_missing_default_is_a_warning_only()
    {
        var (exit, output, error) = Run(Write("a.rules", "allow bus=virtio\n"));
        Assert.Equal(0, exit);
        Assert.Equal("policy OK: 1 rules in 1 files\n", output);
        Assert.Equal("warning: no 'default' line in any policy file: using 'default deny'\n", error);
    }

    [Fact]
    public void Earlier_directories_mask_later_ones()
    {
        Write("etc/50-x.rules", "");
        Write("usr/50-x.rules", "allow bus=\n");
        Write("usr/60-y.rules", "default deny\n");
        var (exit, output, _) = Run(Path.Combine(_dir.FullName, "etc"), Path.Combine(_dir.FullName, "usr"));
        Assert.Equal(0, exit);
        Assert.Equal("policy OK: 0 rules in 1 files\n", output);
    }

    [Fact]
    public void A_missing_file_is_an_error()
    {
        var missing = Path.Combine(_dir.FullName, "nope.rules");
        var (exit, _, error) = Run(missing);
        Assert.Equal(1, exit);
        Assert.StartsWith($"{missing}: cannot read policy file", error);
    }

    [Fact]
    public void Without_arguments_checks_the_standard_directories_or_else_the_shipped_policy()
    {
        var standard = PolicyLoader.StandardDirectories.Where(Directory.Exists).ToArray();
        var expected = standard.Length > 0 ? Run(standard) : Run(Path.Combine(AppContext.BaseDirectory, "rules.d"));
        Assert.Equal(expected, Run());
        if (standard.Length == 0) Assert.Matches(@"^policy OK: \d+ rules in 1 files\n$", expected.Output);
    }
}
