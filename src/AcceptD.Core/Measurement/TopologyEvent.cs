using AcceptD.Core.Topology;

namespace AcceptD.Core.Measurement;

/// <summary>What happened to the accepted topology; each kind is one AAEL operation.</summary>
public enum TopologyEventKind { DeviceAccepted, EvidenceVerified, Violation, DeviceRemoved, TopologyLocked }

/// <summary>
/// One topology event as the daemon reports it (the seam between the topology ledger and the measurement log):
/// the kind, the topology digest after the event, and the device concerned (none for a lock). The log adds the
/// sequence number, boot id and register when it measures the event (<see cref="MeasuredEvent"/>).
/// </summary>
public sealed record TopologyEvent(TopologyEventKind Kind, string TopologyDigest, TopologyEntry? Device)
{
    public string Operation => Kind switch
    {
        TopologyEventKind.DeviceAccepted => "device-accepted",
        TopologyEventKind.EvidenceVerified => "tdisp-evidence-verified",
        TopologyEventKind.Violation => "violation",
        TopologyEventKind.DeviceRemoved => "device-removed",
        _ => "topology-locked",
    };

    public static readonly IReadOnlySet<string> Operations = new HashSet<string>(
        Enum.GetValues<TopologyEventKind>().Select(k => new TopologyEvent(k, "", null).Operation), StringComparer.Ordinal);

    /// <summary>
    /// The EAT-DA submodule name of a device (draft-poirier-rats-eat-da): "legacy-pcie:&lt;BDF&gt;" for PCI,
    /// "&lt;bus&gt;:&lt;name&gt;" for the other buses.
    /// </summary>
    public static string SubmoduleName(TopologyEntry device)
    {
        var slash = device.Key.IndexOf('/');
        var (bus, name) = slash < 0 ? ("", device.Key) : (device.Key[..slash], device.Key[(slash + 1)..]);
        return bus == "pci" ? "legacy-pcie:" + name : bus + ":" + name;
    }
}
