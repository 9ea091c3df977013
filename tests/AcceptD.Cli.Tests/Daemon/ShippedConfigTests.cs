using AcceptD.Daemon;

namespace AcceptD.Cli.Tests.Daemon;

/// <summary>The configuration file the packages install must be one the daemon accepts, with the documented defaults.</summary>
public sealed class ShippedConfigTests
{
    private static string ShippedConfig()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AcceptD.sln")))
            dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? throw new DirectoryNotFoundException("repository root (AcceptD.sln)"), "packaging", "acceptd.conf");
    }

    [Fact]
    public void Packaged_acceptd_conf_parses_to_the_defaults()
    {
        var path = ShippedConfig();
        var (config, errors, _) = DaemonConfig.Parse(File.ReadAllText(path), path, commandLine: "");

        Assert.Empty(errors);
        Assert.Equal(DaemonConfig.Default, config);
    }
}
