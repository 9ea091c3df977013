using AcceptD.Core.Planning;
using AcceptD.Os.Measurement;

namespace AcceptD.Daemon;

/// <summary>How the daemon runs, from acceptd.conf, the kernel command line and the command line (in that order of strength).</summary>
public sealed record GateSettings(
    EnforcementMode Mode,
    PreboundDenied PreboundDenied,
    bool DryRun,
    bool LockAfterColdplug,
    string StateDirectory,
    IReadOnlyList<string> PolicyDirectories,
    string ModulesDirectory,
    string OperatorRulesDirectory,
    IReadOnlyList<string>? StartupWarnings = null)
{
    /// <summary>Found before the gate started (kernel command line, configuration, policy fallback), shown in its status.</summary>
    public IReadOnlyList<string> StartupWarnings { get; init; } = StartupWarnings ?? [];

    /// <summary>
    /// The settings a daemon started now would use: those of <paramref name="config"/>, the operator rules of the state
    /// directory first, then the policy directories given (or the standard ones) and acceptd.policy=.
    /// </summary>
    public static GateSettings From(DaemonConfig config, string modulesDirectory, bool dryRun, string? stateDirectory,
        IReadOnlyList<DirectoryInfo> policy)
    {
        var state = stateDirectory ?? config.StateDirectory;
        var operatorDir = Path.Combine(state, "rules.d");
        var dirs = HostContext.PolicyDirectories(policy, config.ExtraPolicyDirectory).Where(d => d != operatorDir).Prepend(operatorDir).ToList();
        return new GateSettings(config.Mode, config.PreboundDenied, dryRun, config.LockAfterColdplug, state, dirs, modulesDirectory, operatorDir)
        {
            Measurement = config.Measurement,
            Workers = config.Workers,
        };
    }

    public string ModeName => Mode == EnforcementMode.Enforce ? "enforce" : "permissive";

    public PlannerOptions PlannerOptions => new(Mode, PreboundDenied);

    /// <summary>Who measures the topology into which register (acceptd.conf's measurement keys).</summary>
    public MeasurementChoice Measurement { get; init; } = MeasurementChoice.Default;

    /// <summary>Module loads and binds of one scan carried out at once (acceptd.conf's workers; 1: one after the other).</summary>
    public int Workers { get; init; } = 1;

    /// <summary>The log goes to journald: decisions an instance without one saved are written to the journal once.</summary>
    public bool LogsToJournal { get; init; }

    /// <summary>Where `acceptd accept|deny --persistent` writes its rule.</summary>
    public string PersistentRulesDirectory { get; init; } = OperatorDecisions.StandardPersistentDirectory;
}
