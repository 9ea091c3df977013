using AcceptD.Core.Devices;
using AcceptD.Core.State;

namespace AcceptD.Core.Topology;

/// <summary>One accepted device as the topology records it; EvidenceDigest ("sha384:…") only for TDISP devices.</summary>
public sealed record TopologyEntry(string Key, string Path, DeviceIds Ids, string? Driver, string? EvidenceDigest = null)
{
    public static TopologyEntry From(Device device, string? evidenceDigest = null) =>
        new(device.Key, device.Path, device.Ids, device.Driver, evidenceDigest);

    /// <summary>The daemon's record of a bound device (TopologyView's input).</summary>
    public static TopologyEntry From(DeviceRecord record) =>
        new(record.Key, record.Path, record.Ids, record.Driver, record.EvidenceDigest);

    /// <summary>The fields in canonical order; absent values are "-".</summary>
    public IEnumerable<string> Fields() =>
    [
        Key, Path, Ids.Id ?? "-", Ids.SubsystemId ?? "-", Ids.Class is { } c ? c.ToString("x6") : "-",
        Ids.Revision ?? "-", Driver ?? "-", EvidenceDigest ?? "-",
    ];
}
