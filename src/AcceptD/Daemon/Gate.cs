using System.Collections.Immutable;
using AcceptD.Core.Devices;
using AcceptD.Core.Drivers;
using AcceptD.Core.Matching;
using AcceptD.Core.Planning;
using AcceptD.Core.Policy;
using AcceptD.Core.State;
using AcceptD.Core.Topology;
using AcceptD.Core.Uevents;
using AcceptD.Os.State;
using AcceptD.Os.Sysfs;
using AcceptD.Os.Systemd;
using Serilog;

namespace AcceptD.Daemon;

/// <summary>
/// The daemon's core loop body: keeps a record per device, judges every device it sees (coldplug scan, uevents,
/// rescans), carries out the plans, and persists what it did. Every public member takes the one lock, so the
/// netlink loop and D-Bus callers never interleave. Events are hints: each one re-reads the device from sysfs.
/// </summary>
public sealed class Gate : IGateControl
{
    private readonly object _sync = new();
    private readonly GateSettings _settings;
    private readonly IFileView _files;
    private readonly PlanExecutor? _executor;
    private readonly AutoprobeGuard? _guard;
    private readonly StateStore _store;
    private readonly TopologyLog? _topologyLog;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, DeviceRecord> _records = new(StringComparer.Ordinal);
    private readonly ModuleIndex _modules;
    private PolicyEvaluator _policy;
    private PersistedState _state;
    private readonly PreboundRecord _prebound;
    private bool _unsaved;
    private Inventory _inventory = Inventory.Empty;
    private TopologyRecord? _topology; // cached: Status is read on every D-Bus property call

    public Gate(GateSettings settings, IFileView files, ISysfsWriter? writer, PlanExecutor? executor, PolicyEvaluator policy,
        ModuleIndex modules, StateStore store, TopologyLog? topologyLog, ILogger log, TimeProvider time)
    {
        _settings = settings;
        _files = files;
        _executor = settings.DryRun ? null : executor;
        _guard = settings.DryRun || writer is null ? null : new AutoprobeGuard(files, writer);
        _policy = policy;
        _modules = modules;
        _store = store;
        _topologyLog = settings.DryRun ? null : topologyLog;
        _log = log;
        _time = time;
        var recovered = StateRecovery.Load(store, new PreboundFile(settings.StateDirectory), files, settings.ModeName, settings.DryRun);
        foreach (var warning in recovered.Warnings) log.Warning("{Warning}", warning);
        (_state, _prebound) = (recovered.State, recovered.Prebound);
        foreach (var record in _state.Devices) _records[record.Key] = record;
        try
        {
            Save(); // the discarded flags and "coldplug not complete" are on disk before anything else happens
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Error("cannot save {File} ({Error}); deciding devices anyway", store.FilePath, e.Message);
        }
    }

    public event Action<DeviceRecord>? DeviceChanged;
    public event Action<DeviceRecord>? TopologyViolation;

    public ulong LastSeqNum { get { lock (_sync) return _state.LastSeqNum; } }

    public GateStatus Status
    {
        get
        {
            lock (_sync)
            {
                var counts = _records.Values.GroupBy(r => r.State).ToImmutableDictionary(g => g.Key, g => g.Count());
                return new GateStatus(BuildInfo.Version, _settings.ModeName, _settings.DryRun, _state.TopologyLocked,
                    TopologyDigest(), _policy.Policy.Files, counts, _state.ColdplugComplete);
            }
        }
    }

    /// <summary>Scans repeat while binds create new devices (a virtio transport creates its virtio device), at most this often.</summary>
    private const int MaxColdplugPasses = 4;

    /// <summary>
    /// Start-up: autoprobe off everywhere, then judge every device present, again while binding creates children, so
    /// READY means every device (virtio children included) is decided. seqAtStart is read before the socket opened.
    /// </summary>
    public void Coldplug(ulong seqAtStart)
    {
        lock (_sync)
        {
            if (_guard?.ZeroAll() is { Count: > 0 } stuck)
                _log.Error("drivers_autoprobe stayed on for {Buses}", string.Join(", ", stuck));
            for (var pass = 0; pass < MaxColdplugPasses; pass++)
            {
                var bound = _records.Values.Count(r => r.State == DeviceState.Bound);
                ScanAll(DeviceOrigin.Coldplug);
                if (_records.Values.Count(r => r.State == DeviceState.Bound) == bound) break; // no bind, so no new children
            }
            _state = _state with { ColdplugComplete = true, LastSeqNum = Math.Max(_state.LastSeqNum, seqAtStart) };
            if (_settings.LockAfterColdplug && !_state.TopologyLocked) LockTopologyLocked();
            Save();
            _log.Information("coldplug complete: {Count} devices, {Summary}", _records.Count, CountsText());
        }
    }

    /// <summary>Handles one kernel uevent. Older than the coldplug scan: already covered. A gap in SEQNUM: events were lost, rescan.</summary>
    public void Handle(Uevent ev)
    {
        lock (_sync)
        {
            if (ev.SeqNum != 0 && ev.SeqNum <= _state.LastSeqNum) return;
            var gap = _state.LastSeqNum != 0 && ev.SeqNum > _state.LastSeqNum + 1;
            _state = _state with { LastSeqNum = ev.SeqNum }; // not worth a write by itself: a new instance starts at the kernel's SEQNUM
            if (ev.IsBusAdded)
            {
                var zeroed = _guard?.Zero(ev.BusName!) ?? true;
                _log.Information("bus {Bus} appeared; autoprobe {State}", ev.BusName, zeroed ? "off" : "STILL ON");
                ScanAll(DeviceOrigin.Hotplug);
            }
            else if (gap)
            {
                _log.Warning("uevent sequence gap before {SeqNum}: rescanning", ev.SeqNum);
                Count(UeventCounter.SequenceGap);
                ScanAll(DeviceOrigin.Hotplug);
            }
            else if (ev.Action == "remove")
            {
                var key = _records.Values.FirstOrDefault(r => r.Path == ev.DevPath)?.Key;
                if (key is not null && _records.Remove(key))
                {
                    (_topology, _unsaved) = (null, true);
                    _log.Information("device {Device} removed", key);
                }
            }
            else if (_files.Exists($"/sys/bus/{ev.Subsystem}/devices"))
            {
                var reader = new InventoryReader(_files, _policy.Policy.AttributeNames);
                if (reader.ReadDeviceAt(ev.Subsystem, ev.DevPath) is { } device)
                {
                    _inventory = reader.Refresh(_inventory, device);
                    Process(device, DeviceOrigin.Hotplug);
                }
                else if (ev.Action == "add")
                {
                    _log.Warning("ignored {Event}: no such device in sysfs (forged, or already gone)", ev.ToString());
                    Count(UeventCounter.NotInSysfs);
                }
            }
            SaveIfChanged();
        }
    }

    /// <summary>Full rescan: after ENOBUFS (events lost, counted as an overflow), or to retry pending devices.</summary>
    public void Rescan(string why, bool eventsLost)
    {
        lock (_sync)
        {
            _log.Warning("rescanning all devices: {Why}", why);
            if (eventsLost) Count(UeventCounter.Overflow);
            ScanAll(DeviceOrigin.Hotplug);
            SaveIfChanged();
        }
    }

    /// <summary>A message the uevent socket dropped (not from the kernel, not root, malformed): counted, written with the next save.</summary>
    public void Dropped(UeventCounter reason)
    {
        lock (_sync) Count(reason);
    }

    /// <summary>Writes what changed since the last save; the event loop calls it when the socket is idle.</summary>
    public void Flush()
    {
        lock (_sync) SaveIfChanged();
    }

    public bool HasPending { get { lock (_sync) return _records.Values.Any(r => r.State == DeviceState.Pending); } }

    public IReadOnlyList<DeviceRecord> Devices(string? filter = null)
    {
        lock (_sync)
        {
            var glob = string.IsNullOrEmpty(filter) ? null : Glob.Compile(filter);
            return _records.Values
                .Where(r => glob is null || glob.IsMatch(r.Key) || glob.IsMatch(r.Name) || glob.IsMatch(r.State.Name()) || (r.Verdict is { } v && glob.IsMatch(v)))
                .OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        }
    }

    public DeviceRecord? Find(string device)
    {
        lock (_sync)
        {
            if (_records.TryGetValue(device, out var byKey)) return byKey;
            var path = device.StartsWith("/sys/", StringComparison.Ordinal) ? device[4..] : device;
            var matches = _records.Values.Where(r => r.Name == device || r.Path == path).Take(2).ToList();
            return matches.Count == 1 ? matches[0] : null;
        }
    }

    public GateResult ReloadPolicy()
    {
        lock (_sync)
        {
            var loaded = HostContext.LoadPolicy(_settings.PolicyDirectories);
            if (loaded.Policy is null)
                return GateResult.Refused("policy not reloaded, nothing changed:\n" + string.Join("\n", loaded.Diagnostics));
            _policy = new PolicyEvaluator(loaded.Policy);
            ScanAll(DeviceOrigin.Hotplug);
            SaveIfChanged();
            return GateResult.Done($"policy reloaded: {loaded.Policy.Rules.Length} rules from {loaded.Policy.Files.Length} files");
        }
    }

    public GateResult LockTopology()
    {
        lock (_sync)
        {
            if (_state.TopologyLocked) return GateResult.Done("topology was already locked; digest " + TopologyDigest());
            LockTopologyLocked();
            Save();
            return GateResult.Done("topology locked; digest " + TopologyDigest());
        }
    }

    public GateResult Accept(string device, bool persistent) => Operator(device, Verdict.Allow, persistent);

    public GateResult Deny(string device, bool persistent) => Operator(device, Verdict.Deny, persistent);

    /// <summary>{"locked", "record": the canonical record with its digest, "events": the hash-chained log lines}.</summary>
    public string TopologyJson()
    {
        lock (_sync)
        {
            using var buffer = new MemoryStream();
            using (var json = new System.Text.Json.Utf8JsonWriter(buffer, new System.Text.Json.JsonWriterOptions { Indented = true }))
            {
                json.WriteStartObject();
                json.WriteBoolean("locked", _state.TopologyLocked);
                json.WritePropertyName("record");
                json.WriteRawValue(Topology().ToJson());
                json.WriteStartArray("events");
                foreach (var line in _topologyLog?.Lines() ?? []) json.WriteStringValue(line);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
        }
    }

    private GateResult Operator(string device, Verdict verdict, bool persistent)
    {
        lock (_sync)
        {
            var record = Find(device);
            if (record is null) return GateResult.Refused($"unknown device '{device}'");
            if (verdict == Verdict.Allow && _state.TopologyLocked)
                return GateResult.Refused($"{record.Key}: the topology is locked; no device can be accepted until reboot");
            var current = _inventory.Tree.Find(record.Key);
            if (current is null) return GateResult.Refused($"{record.Key} is no longer present");
            var dir = persistent ? "/etc/acceptd/rules.d" : _settings.OperatorRulesDirectory;
            var error = OperatorRules.Write(dir, current, verdict);
            if (error is not null) return GateResult.Refused(error);
            var reload = ReloadPolicy();
            if (!reload.Ok)
            {
                OperatorRules.Remove(dir, current);
                return reload;
            }
            var after = _records.GetValueOrDefault(record.Key);
            return GateResult.Done($"{record.Key}: {verdict.ToString().ToLowerInvariant()} ({(persistent ? "persistent" : "until reboot")}); now {after?.State.Name()}");
        }
    }

    private void ScanAll(DeviceOrigin origin)
    {
        _inventory = new InventoryReader(_files, _policy.Policy.AttributeNames).Read();
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var device in _inventory.Tree.Devices)
        {
            present.Add(device.Key);
            Process(device, origin);
        }
        foreach (var gone in _records.Keys.Where(k => !present.Contains(k)).ToList()) _unsaved |= _records.Remove(gone);
        _topology = null;
    }

    private void Process(Device device, DeviceOrigin origin)
    {
        _records.TryGetValue(device.Key, out var previous);
        var judge = new DeviceJudge(_policy, new DriverResolver(_modules, _inventory.Drivers),
            new Planner(_modules, _inventory, new PlannerOptions(_settings.Mode, _settings.PreboundDenied)));
        // Pre-bound only as the prebound record says, and never again once AcceptD saw the device otherwise.
        var boundBefore = device.Driver is { } current && _prebound.Contains(device.Key, current) && (previous?.BoundBeforeStart ?? true);
        var facts = judge.Facts(device, _inventory.Tree, origin, boundBefore);
        var newAfterLock = previous is null && _state.TopologyLocked;
        var plan = judge.Judge(facts, newAfterLock);
        var verdict = plan.Decision.Verdict.ToString().ToLowerInvariant();
        var sameOutcome = previous?.State == plan.Outcome || (previous?.State == DeviceState.Violation && plan.Outcome == DeviceState.Denied);
        if (previous is not null && plan.IsEmpty && sameOutcome && previous.Verdict == verdict && previous.Driver == device.Driver)
            return; // nothing new: idempotent across events, rescans and restarts; a violation stays recorded as one

        var (state, driver, error, evidence, tdispState) = Carry(plan);
        if (state == DeviceState.Violation && previous?.State == DeviceState.Bound)
            state = DeviceState.Denied; // we bound it under the old policy; a reload or operator deny took it back
        if (newAfterLock && state == DeviceState.Denied)
            state = DeviceState.Violation; // a device appeared after the topology was locked: reported as a violation
        var now = _time.GetUtcNow();
        var record = new DeviceRecord(device.Key, device.Bus, device.Name, device.Path, device.Modalias, device.Ids, driver,
            state, verdict, plan.Decision.Rule.Location.ToString(), plan.Decision.Reason, plan.Decision.Chosen?.DriverOrModule,
            boundBefore, previous?.FirstSeen ?? now, now, error ?? plan.Note, TdispState: tdispState ?? previous?.TdispState,
            EvidenceDigest: evidence ?? previous?.EvidenceDigest);
        _records[device.Key] = record;
        (_topology, _unsaved) = (null, true);
        if (!plan.IsEmpty) Save(); // a kernel write was carried out: on disk before the next device, so a crash cannot forget it
        if (state == DeviceState.Bound && previous?.State != DeviceState.Bound) Journal("accept", device.Key, Topology().Digest);
        if (state == DeviceState.Violation && previous?.State != DeviceState.Violation) Journal("violation", device.Key, "-");
        _log.WithMessageId(MessageIdFor(state)).ForContext("Device", device.Key).ForContext("Decision", verdict)
            .ForContext("Rule", record.Rule).ForContext("Reason", record.Reason)
            .Information("{Device}: {Decision} by {Rule} ({Reason}) -> {State}{Error}", device.Key, verdict, record.Rule,
                record.Reason, state.Name(), record.Error is null ? "" : ": " + record.Error);
        DeviceChanged?.Invoke(record);
        if (state == DeviceState.Violation) TopologyViolation?.Invoke(record);
    }

    private (DeviceState State, string? Driver, string? Error, string? Evidence, string? TdispState) Carry(BindPlan plan)
    {
        if (plan.IsEmpty) return (plan.Outcome, plan.Facts.Device.Driver, null, null, null);
        if (_executor is null) // dry-run: the writes become the device's note (logged with its decision, shown by `acceptd show`)
            return (DeviceState.Decided, plan.Facts.Device.Driver, "dry-run: would " + string.Join(" | ", plan.Steps.Select(s => s.Describe())), null, null);
        var result = _executor.Execute(plan);
        return (result.State, result.Driver, result.Error, result.EvidenceDigest, result.TdispState);
    }

    private TopologyRecord Topology() =>
        _topology ??= new(_records.Values.Where(r => r.State == DeviceState.Bound).Select(TopologyEntry.From));

    private void Journal(string kind, string device, string digest)
    {
        try
        {
            _topologyLog?.Append(_time.GetUtcNow(), kind, device, digest);
        }
        catch (IOException e)
        {
            _log.Error("cannot append to the topology log or extend the measurement register: {Error}", e.Message);
        }
    }

    private void LockTopologyLocked()
    {
        _state = _state with { TopologyLocked = true };
        Journal("lock", "-", TopologyDigest());
        _log.WithMessageId(JournalMessageIds.TopologyLocked).Information("topology locked; digest {Digest}", TopologyDigest());
    }

    private string TopologyDigest() => Topology().Digest;

    private string CountsText() => string.Join(", ", _records.Values.GroupBy(r => r.State).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.Name()}"));

    private static Guid MessageIdFor(DeviceState state) => state switch
    {
        DeviceState.Bound => JournalMessageIds.DeviceBound,
        DeviceState.Denied or DeviceState.Reported => JournalMessageIds.DeviceDenied,
        DeviceState.Violation => JournalMessageIds.PolicyViolation,
        DeviceState.Failed => JournalMessageIds.KernelError,
        _ => JournalMessageIds.DeviceDecided,
    };

    private void Count(UeventCounter counter) => (_state, _unsaved) = (_state.Count(counter), true);

    private void SaveIfChanged()
    {
        if (_unsaved) Save();
    }

    private void Save()
    {
        _unsaved = false;
        if (_settings.DryRun) return;
        _state = _state with { Mode = _settings.ModeName, Devices = _records.Values.OrderBy(r => r.Key, StringComparer.Ordinal).ToImmutableArray() };
        _store.Save(_state);
    }
}
