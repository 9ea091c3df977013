using System.Collections.Immutable;
using AcceptD.Core.State;

namespace AcceptD.Daemon.Control;

/// <summary>The daemon's overall status (D-Bus Manager properties, sd_notify STATUS=).</summary>
public sealed record GateStatus(
    string Version,
    string Mode,
    bool DryRun,
    bool TopologyLocked,
    string TopologyDigest,
    ImmutableArray<string> PolicyFiles,
    ImmutableDictionary<DeviceState, int> Counts,
    bool ColdplugComplete,
    IReadOnlyList<string>? Warnings = null)
{
    /// <summary>
    /// What the operator must know although the daemon runs: kernel command line words ignored, a policy error that
    /// made it fall back to the last good policy, a state file it could not use or save. Empty when all is well.
    /// </summary>
    public IReadOnlyList<string> Warnings { get; init; } = Warnings ?? [];

    /// <summary>Who measures the topology into which register, and an error once a register could not be extended.</summary>
    public string Measurement { get; init; } = "";
}
