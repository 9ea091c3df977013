using AcceptD.Core.Devices;
using AcceptD.Core.Drivers;

namespace AcceptD.Core.Policy;

/// <summary>Everything a rule may look at for one device.</summary>
/// <param name="Ancestors">Nearest first, as <see cref="DeviceTree.Ancestors"/> gives them.</param>
/// <param name="Candidates">Modules that can drive the device, best first; a Bound candidate for a bound device.</param>
/// <param name="BoundBeforeStart">The device was bound before AcceptD first saw it.</param>
/// <param name="TdispVerified">This boot's AcceptD verified the device's TDISP evidence: its digest is in the state and
/// the measurement log has the device's accept. Only then may a bound device matching a tdisp rule stay bound.</param>
public sealed record DeviceFacts(
    Device Device,
    IReadOnlyList<Device> Ancestors,
    IReadOnlyList<Candidate> Candidates,
    DeviceOrigin Origin,
    bool BoundBeforeStart,
    bool TdispVerified = false);
