using AcceptD.Core.State;

namespace AcceptD.Daemon.Control;

/// <summary>
/// What the running daemon offers its front ends (D-Bus, CLI). Reads are cheap snapshots; requests are
/// validated and either fully applied or refused with nothing changed. Events fire on the daemon's thread.
/// </summary>
public interface IGateControl
{
    GateStatus Status { get; }

    /// <summary>Devices whose key, name, state or verdict matches the glob filter (all when null or empty).</summary>
    IReadOnlyList<DeviceRecord> Devices(string? filter = null);

    /// <summary>By key ("pci/0000:00:03.0"), bus name, or sysfs path; null when unknown.</summary>
    DeviceRecord? Find(string device);

    GateResult ReloadPolicy();

    GateResult LockTopology();

    /// <summary>Operator decision; persistent ones are written as a rule to /etc/acceptd/rules.d/.</summary>
    GateResult Accept(string device, bool persistent);

    GateResult Deny(string device, bool persistent);

    /// <summary>The canonical topology record as JSON (schema in README).</summary>
    string TopologyJson();

    event Action<DeviceRecord>? DeviceChanged;

    event Action<DeviceRecord>? TopologyViolation;
}
