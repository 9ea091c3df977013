using System.CommandLine;
using AcceptD.Core.Planning;
using AcceptD.Daemon;

namespace AcceptD.Cli;

/// <summary>
/// The host source options (<see cref="HostSourceOptions"/>) with --policy and --config, read the way the daemon reads them: acceptd.conf, then the kernel command line of the host
/// view, then the operator rules of the state directory before the policy directories. So `dry-run` and
/// `policy explain` decide with the options the daemon would use on that host.
/// </summary>
public sealed class DecisionOptions
{
    private readonly Option<DirectoryInfo[]> _policy = CommonOptions.Policy();
    private readonly Option<string?> _config = CommonOptions.MustBe(new Option<string?>("--config")
    {
        Description = $"Daemon configuration file whose options the decision uses (default {DaemonConfig.StandardPath}, if it exists).",
    }, CommonOptions.PathKind.File);

    public HostSourceOptions Source { get; } = new();

    public void AddTo(Command command)
    {
        Source.AddTo(command);
        command.Options.Add(_policy);
        command.Options.Add(_config);
    }

    /// <summary>
    /// The daemon's settings on this host, with the warnings found on the way as its start-up warnings; null (errors
    /// reported to <paramref name="report"/>) when the configuration file is bad.
    /// </summary>
    public GateSettings? Settings(ParseResult result, HostContext host, bool dryRun, string? stateDirectory, Action<string> report)
    {
        var (config, errors, warnings) = DaemonConfig.Load(result.GetValue(_config), host.CommandLine);
        foreach (var error in errors) report(error);
        return config is null ? null : GateSettings.From(config, host.Modules.ModulesDir, dryRun, stateDirectory, result.GetValue(_policy) ?? [])
            with
        { StartupWarnings = warnings };
    }

    /// <summary>Opens the host and decides every device as the daemon's coldplug would; null (reported, <paramref name="exitCode"/> set) when it cannot.</summary>
    public HostAnalysis? Analyse(ParseResult result, out int exitCode)
    {
        var host = Source.Open(result);
        var pipeline = host is null ? null : Pipeline(result, host);
        exitCode = host is null ? CliErrors.Usage : pipeline is null ? CliErrors.Failure : CliErrors.Ok;
        return pipeline is null ? null : HostAnalysis.Run(host!, pipeline);
    }

    /// <summary>The decision pipeline the daemon would build on this host; null when the configuration or the policy has errors (printed).</summary>
    public DecisionPipeline? Pipeline(ParseResult result, HostContext host)
    {
        var error = result.InvocationConfiguration.Error;
        var settings = Settings(result, host, dryRun: true, stateDirectory: null, line => error.WriteLine("acceptd: " + line));
        if (settings is null) return null;
        foreach (var warning in settings.StartupWarnings) error.WriteLine("acceptd: warning: " + warning);
        var policy = CliErrors.LoadPolicy(result, settings.PolicyDirectories);
        return policy is null ? null : new DecisionPipeline(new Core.Policy.PolicyEvaluator(policy), host.Modules, settings.PlannerOptions);
    }
}
