using System.Collections.Immutable;
using AcceptD.Core.Devices;
using AcceptD.Core.Matching;
using AcceptD.Core.State;
using AcceptD.Daemon.Control;

namespace AcceptD.DBus.Tests;

/// <summary>
/// A small IGateControl holding device records in memory, so the D-Bus layer can be driven without a sysfs tree.
/// Accept/Deny change the record and raise DeviceChanged like the daemon does; it records what it was asked.
/// </summary>
public sealed class InMemoryGate : IGateControl
{
    private readonly Lock _sync = new();
    private readonly Dictionary<string, DeviceRecord> _devices = [];
    private bool _locked;

    public List<string> Requests { get; } = [];

    public GateStatus Status
    {
        get
        {
            lock (_sync)
                return new GateStatus("0.1.0-test", "enforce", DryRun: true, _locked, _locked ? "sha256:abc" : "",
                    ["/etc/acceptd/rules.d/10-test.rules"],
                    _devices.Values.GroupBy(d => d.State).ToImmutableDictionary(g => g.Key, g => g.Count()), ColdplugComplete: true)
                {
                    Measurement = "none: no register: the log is kept but nothing measures it, log /run/acceptd/eventlog",
                };
        }
    }

    public event Action<DeviceRecord>? DeviceChanged;

    public event Action<DeviceRecord>? TopologyViolation;

    public static DeviceRecord Record(string bus, string name, DeviceState state = DeviceState.Seen, string? verdict = null) =>
        new(bus + "/" + name, bus, name, $"/devices/pci0000:00/{name}", $"pci:v00001AF4d00001041sv*", new DeviceIds("1af4", "1041", Class: 0x020000),
            state == DeviceState.Bound ? "virtio-pci" : null, state, verdict, verdict is null ? null : "10-test.rules:3", null, "virtio_pci",
            false, DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));

    public void Put(DeviceRecord record)
    {
        lock (_sync) _devices[record.Key] = record;
        DeviceChanged?.Invoke(record);
    }

    public void Violate(string key)
    {
        DeviceRecord record;
        lock (_sync) record = _devices[key] = _devices[key] with { State = DeviceState.Violation, Reason = "bound behind our back" };
        DeviceChanged?.Invoke(record);
        TopologyViolation?.Invoke(record);
    }

    public IReadOnlyList<DeviceRecord> Devices(string? filter = null)
    {
        lock (_sync)
            return [.. _devices.Values.Where(d => string.IsNullOrEmpty(filter) || Glob.IsMatch(filter, d.Key) || Glob.IsMatch(filter, d.Name)
                || Glob.IsMatch(filter, d.State.Name()) || (d.Verdict is { } v && Glob.IsMatch(filter, v)))
                .OrderBy(d => d.Key, StringComparer.Ordinal)];
    }

    public DeviceRecord? Find(string device)
    {
        lock (_sync)
            return _devices.GetValueOrDefault(device) ?? _devices.Values.FirstOrDefault(d => d.Name == device || "/sys" + d.Path == device);
    }

    public GateResult ReloadPolicy() => Request("reload", GateResult.Done("reloaded 1 policy file"));

    public GateResult LockTopology()
    {
        lock (_sync)
        {
            if (_locked) return Request("lock", GateResult.Refused("topology is already locked"));
            _locked = true;
        }
        return Request("lock", GateResult.Done("topology locked"));
    }

    public GateResult Accept(string device, bool persistent) => Decide(device, persistent, DeviceState.Bound, "allow");

    public GateResult Deny(string device, bool persistent) => Decide(device, persistent, DeviceState.Denied, "deny");

    public string TopologyJson() => """{"devices":[]}""";

    private GateResult Decide(string device, bool persistent, DeviceState state, string verdict)
    {
        Requests.Add($"{verdict} {device} {persistent}");
        DeviceRecord record;
        lock (_sync)
        {
            if (!_devices.TryGetValue(device, out var d)) return GateResult.Refused($"no device {device}");
            if (d.State == state) return GateResult.Refused($"{device} is already {state.Name()}");
            record = _devices[device] = d with { State = state, Verdict = verdict, Rule = "operator", Changed = d.Changed.AddSeconds(1) };
        }
        DeviceChanged?.Invoke(record);
        return GateResult.Done($"{verdict} {device}");
    }

    private GateResult Request(string what, GateResult result)
    {
        Requests.Add(what);
        return result;
    }
}
