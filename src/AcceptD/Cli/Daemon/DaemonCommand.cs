using System.CommandLine;
using AcceptD.Core.Planning;
using AcceptD.Core.Text;
using AcceptD.Daemon;
using AcceptD.Os.Files;
using AcceptD.Os.Measurement;
using AcceptD.Os.Modules;
using AcceptD.Os.State;
using AcceptD.Os.Sysfs;
using AcceptD.Os.Tsm;
using AcceptD.Os.Systemd;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Serilog;

namespace AcceptD.Cli.Daemon;

/// <summary>`acceptd daemon`: gate every device of the running kernel (or, with --dry-run, only log what it would do).</summary>
public static class DaemonCommand
{
    public const string DefaultConfig = "/etc/acceptd/acceptd.conf";

    public static Command Create()
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "Run the whole event loop but only log the writes it would make." };
        var source = new HostSourceOptions();
        var policy = CommonOptions.Policy();
        var stateDir = new Option<string?>("--state-dir") { Description = "Where state lives (default /run/acceptd)." };
        var config = CommonOptions.MustBe(new Option<string?>("--config") { Description = $"Configuration file (default {DefaultConfig}, if it exists)." },
            CommonOptions.PathKind.File);
        var bus = CommonOptions.BusAddress();
        var command = new Command("daemon", "Run the acceptance daemon.") { dryRun, policy, stateDir, config, bus };
        source.AddTo(command);
        command.SetAction(result =>
        {
            using var log = LoggingSetup.Create();
            var host = source.Open(result);
            if (host is null) return CliErrors.Usage;
            var configFile = ReadConfig(result.GetValue(config));
            var parsed = DaemonConfig.Parse(configFile.Text, configFile.Path, host.CommandLine);
            var errors = configFile.Error is null ? parsed.Errors : [configFile.Error];
            foreach (var error in errors) log.WithMessageId(JournalMessageIds.PolicyError).Error("{Error}", error);
            if (errors.Count > 0 || parsed.Config is not { } daemonConfig) return CliErrors.Failure;
            var warnings = parsed.Warnings.ToList();
            foreach (var warning in warnings) log.WithMessageId(JournalMessageIds.PolicyError).Warning("{Warning}", warning);

            var settings = Settings(daemonConfig, host, result.GetValue(dryRun) || host.LiveRoot is null, result.GetValue(stateDir),
                result.GetValue(policy) ?? []);
            var policyInForce = LoadPolicy(settings, log, warnings);
            if (policyInForce is null) return CliErrors.Failure;
            settings = settings with { StartupWarnings = warnings };

            var writer = settings.DryRun ? null : new LiveSysfsWriter(host.LiveRoot!);
            var executor = writer is null ? null : new PlanExecutor(host.Files, writer,
                new KernelModuleLoader(host.LiveRoot!.TrimEnd('/') + settings.ModulesDirectory), new TdispRunner(host.Files, writer, () => new GenlSocket(TimeSpan.FromSeconds(10))).Run);
            Gate gate;
            try
            {
                gate = new Gate(settings, host.Files, writer, executor, new Core.Policy.PolicyEvaluator(policyInForce), host.Modules,
                    new StateStore(settings.StateDirectory),
                    new TopologyLog(settings.StateDirectory, new RtmrExtender(host.LiveRoot ?? "/", log: m => log.Information("{Message}", m))),
                    log, TimeProvider.System);
            }
            catch (InvalidDataException e)
            {
                log.Error("{Error}: not starting", e.Message);
                return CliErrors.Failure;
            }
            log.WithMessageId(JournalMessageIds.DaemonStarted).Information(
                "acceptd {Version} starting: mode {Mode}{DryRun}, {Source}, policy {Files}", BuildInfo.Version, settings.ModeName,
                settings.DryRun ? " (dry-run: no writes)" : "", host.Source, string.Join(", ", policyInForce.Files));
            Run(gate, host, settings, log, result.GetValue(bus));
            return CliErrors.Ok;
        });
        return command;
    }

    /// <summary>An explicitly named file must exist (the option checks that); the default one may be absent.</summary>
    private static (string Path, string? Text, string? Error) ReadConfig(string? explicitPath)
    {
        var path = explicitPath is null ? DefaultConfig : Path.GetFullPath(explicitPath);
        var read = BoundedFile.Read(path, BoundedFile.ConfigLimit, strictUtf8: true);
        return (path, read.Text, read.Error);
    }

    /// <summary>
    /// The policy on disk; when it has errors, the last good one of this boot (loudly), else null: fail closed, nothing
    /// binds. A clean load is kept as the new last good policy (not in dry-run, which writes nothing).
    /// </summary>
    private static Core.Policy.Policy? LoadPolicy(GateSettings settings, ILogger log, List<string> warnings)
    {
        var loaded = HostContext.LoadPolicy(settings.PolicyDirectories);
        var diagnostics = loaded.Diagnostics.Select(d => (d.IsError, Text: d.ToString())).ToList();
        foreach (var text in DiagnosticLimit.Cap(diagnostics.Where(d => d.IsError).Select(d => d.Text).ToList()))
            log.WithMessageId(JournalMessageIds.PolicyError).Error("{Diagnostic}", text);
        foreach (var text in DiagnosticLimit.Cap(diagnostics.Where(d => !d.IsError).Select(d => d.Text).ToList()))
            log.WithMessageId(JournalMessageIds.PolicyError).Warning("{Diagnostic}", text);
        var lastGood = new LastGoodPolicy(settings.StateDirectory, HostContext.PolicyFiles);
        if (loaded.Policy is not null)
        {
            if (!settings.DryRun && lastGood.Save(loaded.Policy) is { } error) log.Warning("{Error}", error);
            return loaded.Policy;
        }
        if (lastGood.Load() is { } fallback)
        {
            var warning = $"POLICY HAS ERRORS: running the last good policy of this boot from {lastGood.Directory} instead; fix the policy and run 'acceptd reload'";
            log.WithMessageId(JournalMessageIds.PolicyError).Error("{Warning}", warning);
            warnings.Add(warning);
            return fallback;
        }
        log.Error("policy has errors and there is no last good policy: not starting, nothing is bound (fail closed)");
        return null;
    }

    private static GateSettings Settings(DaemonConfig config, HostContext host, bool dryRun, string? stateDir, DirectoryInfo[] policy)
    {
        var state = stateDir ?? config.StateDirectory;
        var operatorDir = Path.Combine(state, "rules.d");
        var dirs = HostContext.PolicyDirectories(policy, config.ExtraPolicyDirectory).Where(d => d != operatorDir).Prepend(operatorDir).ToList();
        return new GateSettings(config.Mode, config.PreboundDenied, dryRun, config.LockAfterColdplug, state, dirs,
            host.Modules.ModulesDir, operatorDir);
    }

    private static void Run(Gate gate, HostContext host, GateSettings settings, ILogger log, string? busAddress)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSystemd();
        builder.Services.AddSerilog(log);
        builder.Services.AddHostedService(services => new GateService(gate, host.Files, listen: host.LiveRoot == "/",
            new ServiceNotifier(services.GetService<ISystemdNotifier>()), log, () => global::AcceptD.Daemon.Bus.GateBusService.Start(gate, busAddress, log)));
        builder.Build().Run();
    }
}
