using System.CommandLine;
using AcceptD.Core.Measurement;
using AcceptD.Core.Planning;
using AcceptD.Daemon;
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
        var config = new Option<string>("--config") { Description = "Configuration file.", DefaultValueFactory = _ => DefaultConfig };
        var bus = CommonOptions.BusAddress();
        var command = new Command("daemon", "Run the acceptance daemon.") { dryRun, policy, stateDir, config, bus };
        source.AddTo(command);
        command.SetAction(result =>
        {
            using var log = LoggingSetup.Create();
            var host = source.Open(result);
            if (host is null) return CliErrors.Usage;
            var configPath = result.GetValue(config)!;
            var (daemonConfig, errors) = DaemonConfig.Parse(File.Exists(configPath) ? File.ReadAllText(configPath) : null, configPath, host.CommandLine);
            foreach (var error in errors) log.WithMessageId(JournalMessageIds.PolicyError).Error("{Error}", error);
            if (daemonConfig is null) return CliErrors.Failure;

            var settings = Settings(daemonConfig, host, result.GetValue(dryRun) || host.LiveRoot is null, result.GetValue(stateDir),
                result.GetValue(policy) ?? []);
            var loaded = HostContext.LoadPolicy(settings.PolicyDirectories);
            foreach (var diagnostic in loaded.Diagnostics)
                log.WithMessageId(JournalMessageIds.PolicyError).Write(diagnostic.IsError ? Serilog.Events.LogEventLevel.Error : Serilog.Events.LogEventLevel.Warning, "{Diagnostic}", diagnostic.ToString());
            if (loaded.Policy is null)
            {
                log.Error("policy has errors: not starting, nothing is bound (fail closed)");
                return CliErrors.Failure;
            }

            var writer = settings.DryRun ? null : new LiveSysfsWriter(host.LiveRoot!);
            var executor = writer is null ? null : new PlanExecutor(host.Files, writer,
                new KernelModuleLoader(host.LiveRoot!.TrimEnd('/') + settings.ModulesDirectory), new TdispRunner(host.Files, writer, () => new GenlSocket(TimeSpan.FromSeconds(10))).Run);
            Gate gate;
            try
            {
                gate = new Gate(settings, host.Files, writer, executor, new Core.Policy.PolicyEvaluator(loaded.Policy), host.Modules,
                    new StateStore(settings.StateDirectory), Measurements(daemonConfig, settings, host, log), log, TimeProvider.System);
            }
            catch (InvalidDataException e)
            {
                log.Error("{Error}: not starting", e.Message);
                return CliErrors.Failure;
            }
            log.WithMessageId(JournalMessageIds.DaemonStarted).Information(
                "acceptd {Version} starting: mode {Mode}{DryRun}, {Source}, policy {Files}", BuildInfo.Version, settings.ModeName,
                settings.DryRun ? " (dry-run: no writes)" : "", host.Source, string.Join(", ", loaded.Policy.Files));
            Run(gate, host, settings, log, result.GetValue(bus));
            return CliErrors.Ok;
        });
        return command;
    }

    /// <summary>None in dry-run: nothing is measured, nothing extended.</summary>
    private static IMeasurementLog? Measurements(DaemonConfig config, GateSettings settings, HostContext host, ILogger log)
    {
        if (settings.DryRun) return null;
        var measurements = MeasurementSetup.Open(config.Measurement, host.LiveRoot!, settings.StateDirectory, m => log.Information("{Message}", m));
        if (measurements.Status.Error is not null)
            log.WithMessageId(JournalMessageIds.KernelError).Error("measurement is broken: {Measurement}", measurements.Status.Summary);
        return measurements;
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
