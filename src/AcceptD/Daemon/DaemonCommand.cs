using System.CommandLine;
using AcceptD.Cli;
using AcceptD.Core.Measurement;
using AcceptD.Core.Policy;
using AcceptD.Core.Text;
using AcceptD.Daemon.Bus;
using AcceptD.Os.Measurement;
using AcceptD.Os.Modules;
using AcceptD.Os.Native;
using AcceptD.Os.State;
using AcceptD.Os.Sysfs;
using AcceptD.Os.Systemd;
using AcceptD.Os.Tsm;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Serilog;

namespace AcceptD.Daemon;

/// <summary>`acceptd daemon`: gate every device of the running kernel (or, with --dry-run, only log what it would do).</summary>
public static class DaemonCommand
{
    public static Command Create()
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "Run the whole event loop but only log the writes it would make." };
        var decision = new DecisionOptions();
        var stateDir = new Option<string?>("--state-dir") { Description = "Where state lives (default /run/acceptd)." };
        var bus = CommonOptions.BusAddress();
        var command = new Command("daemon", "Run the acceptance daemon.") { dryRun, stateDir, bus };
        decision.AddTo(command);
        command.SetAction(result =>
        {
            var toJournal = JournalSocket.IsAvailable(JournalSocket.DefaultPath);
            using var log = LoggingSetup.Create(useJournal: toJournal);
            if (RuntimeLibraries.Missing(RuntimeLibraries.CanLoad) is [_, ..] missing)
            {
                foreach (var library in missing)
                    log.Error("cannot load {Library} ({Purpose}): not starting, nothing was changed",
                        string.Join(" or ", library.Sonames), library.Purpose);
                return CliErrors.MissingLibrary;
            }
            var host = decision.Source.Open(result);
            if (host is null) return CliErrors.Usage;
            var settings = decision.Settings(result, host, result.GetValue(dryRun) || host.LiveRoot is null, result.GetValue(stateDir),
                error => log.WithMessageId(JournalMessageIds.PolicyError).Error("{Error}", error));
            if (settings is null) return CliErrors.Failure;
            var warnings = settings.StartupWarnings.ToList();
            foreach (var warning in warnings) log.WithMessageId(JournalMessageIds.PolicyError).Warning("{Warning}", warning);
            PolicyLoadResult LoadPolicy() => HostContext.LoadPolicy(settings.PolicyDirectories);
            var policyInForce = StartupPolicy(LoadPolicy(), settings, log, warnings);
            if (policyInForce is null) return CliErrors.Failure;
            settings = settings with { StartupWarnings = warnings, LogsToJournal = toJournal };

            var gate = new Gate(settings, Parts(host, settings, log), policyInForce, LoadPolicy);
            log.WithMessageId(JournalMessageIds.DaemonStarted).Information(
                "acceptd {Version} starting: mode {Mode}{DryRun}, {Source}, policy {Files}", BuildInfo.Version, settings.ModeName,
                settings.DryRun ? " (dry-run: no writes)" : "", host.Source, string.Join(", ", policyInForce.Files));
            Run(gate, host, log, result.GetValue(bus));
            return CliErrors.Ok;
        });
        return command;
    }

    /// <summary>
    /// The policy on disk; when it has errors, the last good one of this boot (loudly), else null: fail closed, nothing
    /// binds. A clean load is kept as the new last good policy (not in dry-run, which writes nothing).
    /// </summary>
    private static Policy? StartupPolicy(PolicyLoadResult loaded, GateSettings settings, ILogger log, List<string> warnings)
    {
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

    private static GateParts Parts(HostContext host, GateSettings settings, ILogger log)
    {
        var writer = settings.DryRun ? null : new LiveSysfsWriter(host.LiveRoot!);
        var executor = writer is null ? null : new PlanExecutor(host.Files, writer,
            new KernelModuleLoader(host.LiveRoot!.TrimEnd('/') + settings.ModulesDirectory),
            new TsmSession(host.Files, writer, () => new GenlSocket(TimeSpan.FromSeconds(10))));
        return new GateParts(host.Files, executor, host.Modules, new StateStore(settings.StateDirectory), Measurements(host, settings, log), log,
            TimeProvider.System);
    }

    /// <summary>None in dry-run: nothing is measured, nothing extended.</summary>
    private static IMeasurementLog? Measurements(HostContext host, GateSettings settings, ILogger log)
    {
        if (settings.DryRun) return null;
        var measurements = MeasurementSetup.Open(settings.Measurement, host.LiveRoot!, settings.StateDirectory, m => log.Information("{Message}", m));
        if (measurements.Status.Error is not null)
            log.WithMessageId(JournalMessageIds.KernelError).Error("measurement is broken: {Measurement}", measurements.Status.Summary);
        return measurements;
    }

    private static void Run(Gate gate, HostContext host, ILogger log, string? busAddress)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSystemd();
        builder.Services.AddSerilog(log);
        builder.Services.AddHostedService(services => new GateService(gate, host.Files, listen: host.LiveRoot == "/",
            new ServiceNotifier(services.GetService<ISystemdNotifier>()), log, () => GateBusService.Start(gate, busAddress, log)));
        builder.Build().Run();
    }
}
