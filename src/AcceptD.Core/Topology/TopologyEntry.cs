using AcceptD.Core.Devices;

namespace AcceptD.Core.Topology;

/// <summary>One accepted device as the topology records it; EvidenceDigest ("sha384:…") only for TDISP devices.</summary>
public sealed record TopologyEntry(string Key, string Path, DeviceIds Ids, string? Driver, string? EvidenceDigest = null)
{
    public static TopologyEntry From(Device device, string? evidenceDigest = null) =>
        new(device.Key, device.Path, device.Ids, device.Driver, evidenceDigest);

    /// <summary>The fields in canonical order; absent values are "-".</summary>
    public IEnumerable<string> Fields() =>
    [
        Key, Path, Ids.Id ?? "-", Ids.SubsystemId ?? "-", Ids.Class is { } c ? c.ToString("x6") : "-",
        Ids.Revision ?? "-", Driver ?? "-", EvidenceDigest ?? "-",
    ];
}
