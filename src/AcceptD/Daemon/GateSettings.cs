using AcceptD.Core.Planning;

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


    public string ModeName => Mode == EnforcementMode.Enforce ? "enforce" : "permissive";
}
