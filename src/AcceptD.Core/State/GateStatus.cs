using System.Collections.Immutable;

namespace AcceptD.Core.State;

/// <summary>The daemon's overall status (D-Bus Manager properties, sd_notify STATUS=); Measurement is the measurement writer's status line.</summary>
public sealed record GateStatus(
    string Version,
    string Mode,
    bool DryRun,
    bool TopologyLocked,
    string TopologyDigest,
    ImmutableArray<string> PolicyFiles,
    ImmutableDictionary<DeviceState, int> Counts,
    bool ColdplugComplete,
    string Measurement);
