using System.Collections.Immutable;
using AcceptD.Core.State;
using AcceptD.Daemon.Control;
using AcceptD.Os.DBus;

namespace AcceptD.Daemon.Bus;

/// <summary>org.acceptd1.Device properties and org.acceptd1.Manager properties as functions of the daemon's snapshots.</summary>
internal static class GateProperties
{
    public static PropertyTable<DeviceRecord> Device(BusInterfaceInfo info) => new(info,
    [
        ("Key", d => d.Key),
        ("Bus", d => d.Bus),
        ("Name", d => d.Name),
        ("SysPath", d => "/sys" + d.Path),
        ("Vendor", d => d.Ids.Vendor ?? ""),
        ("Device", d => d.Ids.Device ?? ""),
        ("Class", d => d.Ids.Class is { } c ? c.ToString("x6") : ""),
        ("Modalias", d => d.Modalias ?? ""),
        ("Driver", d => d.Driver ?? ""),
        ("PlannedDriver", d => d.PlannedDriver ?? ""),
        ("State", d => d.State.Name()),
        ("Verdict", d => d.Verdict ?? ""),
        ("Rule", d => d.Rule ?? ""),
        ("Reason", d => d.Reason ?? ""),
        ("Error", d => d.Error ?? ""),
        ("TdispState", d => d.TdispState ?? ""),
        ("EvidenceDigest", d => d.EvidenceDigest ?? ""),
        ("BoundBeforeStart", d => d.BoundBeforeStart),
        ("FirstSeen", d => Microseconds(d.FirstSeen)),
        ("Changed", d => Microseconds(d.Changed)),
    ]);

    public static PropertyTable<GateStatus> Manager(BusInterfaceInfo info) => new(info,
    [
        ("Version", s => s.Version),
        ("Mode", s => s.Mode),
        ("DryRun", s => s.DryRun),
        ("TopologyLocked", s => s.TopologyLocked),
        ("TopologyDigest", s => s.TopologyDigest),
        ("PolicyFiles", s => s.PolicyFiles),
        ("Counts", s => s.Counts.ToImmutableSortedDictionary(c => c.Key.Name(), c => (uint)c.Value, StringComparer.Ordinal)),
        ("ColdplugComplete", s => s.ColdplugComplete),
        ("Warnings", s => s.Warnings),
        ("Measurement", s => s.Measurement),
    ]);

    private static ulong Microseconds(DateTimeOffset t) => (ulong)Math.Max(0, (t - DateTimeOffset.UnixEpoch).Ticks / 10);
}
