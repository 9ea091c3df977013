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
    bool ColdplugComplete);
