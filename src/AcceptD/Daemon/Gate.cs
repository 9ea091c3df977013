using AcceptD.Core.Devices;
using AcceptD.Core.Measurement;
using AcceptD.Core.Planning;
using AcceptD.Core.Policy;
using AcceptD.Core.State;
using AcceptD.Core.Uevents;
using AcceptD.Daemon.Control;
using AcceptD.Os.State;
using AcceptD.Os.Sysfs;
using Serilog;

namespace AcceptD.Daemon;

/// <summary>
/// The daemon's dispatcher: coldplug, uevents, rescans and operator requests become changes run one at a time on the
/// gate's worker; each device goes through the <see cref="DecisionPipeline"/> and the <see cref="DeviceProcessor"/>.
/// Reads are answered from the last published <see cref="GateSnapshot"/>, so they never wait for kernel I/O.
/// Events are hints: each one re-reads the device from sysfs.
/// </summary>
public sealed class Gate : IGateControl, IDisposable
{
    /// <summary>Scans repeat while binds create new devices (a virtio transport creates its virtio device), at most this often.</summary>
    private const int MaxColdplugPasses = 4;

    private readonly GateSettings _settings;
    private readonly GateParts _parts;
    private readonly Func<PolicyLoadResult> _loadPolicy;
    private readonly DeviceRegistry _registry;
    private readonly TopologyLedger _ledger;
    private readonly DeviceProcessor _processor;
    private readonly OperatorDecisions _operators;
    private readonly SerialWorker _worker = new("gate");
    private DecisionPipeline _pipeline;
    private Inventory _inventory = Inventory.Empty;
    private volatile GateSnapshot _snapshot = GateSnapshot.Empty;
    private int _moduleWarningsLogged;

    /// <param name="loadPolicy">Loads the policy afresh, for reloads and operator decisions.</param>
    public Gate(GateSettings settings, GateParts parts, Policy policy, Func<PolicyLoadResult> loadPolicy)
    {
        _settings = settings;
        _parts = parts with { Executor = settings.DryRun ? null : parts.Executor, Measurements = settings.DryRun ? null : parts.Measurements };
        _loadPolicy = loadPolicy;
        _registry = new DeviceRegistry(parts.Store,
            StateRecovery.Load(parts.Store, new PreboundFile(settings.StateDirectory), parts.Files, settings.ModeName, settings.DryRun));
        foreach (var warning in _registry.RecoveryWarnings) parts.Log.Warning("{Warning}", warning);
        _ledger = new TopologyLedger(_parts.Measurements, _registry, parts.Log, parts.Time);
        var batch = _parts.Executor is { } executor && settings.Workers > 1 ? new PlanBatch(executor, parts.Modules, settings.Workers) : null;
        _processor = new DeviceProcessor(_parts.Executor, batch, _registry, _ledger, parts.Log, parts.Time);
        _processor.Changed += OnDeviceChanged;
        _processor.CarriedOut += () => Save();
        _operators = new OperatorDecisions(settings.OperatorRulesDirectory, settings.PersistentRulesDirectory, settings.PolicyDirectories);
        _pipeline = new DecisionPipeline(new PolicyEvaluator(policy), parts.Modules, settings.PlannerOptions);
        if (settings.LogsToJournal && !_registry.DecisionsInJournal) _processor.CarryIntoJournal(_registry.Records.Values);
        _registry.DecisionsLogged(settings.LogsToJournal);
        Save(always: true); // the discarded flags and "coldplug not complete" are on disk before anything else happens
    }

    public event Action<DeviceRecord>? DeviceChanged;
    public event Action<DeviceRecord>? TopologyViolation;

    public GateStatus Status => _snapshot.Status(_settings) with
    {
        Warnings = [.. _settings.StartupWarnings, .. _registry.RecoveryWarnings, .. new[] { _registry.SaveProblem }.OfType<string>(),
            .. _parts.Modules.Warnings],
        Measurement = _ledger.MeasurementSummary,
    };

    public ulong LastSeqNum => _snapshot.LastSeqNum;

    public bool HasPending => _snapshot.HasPending;

    public IReadOnlyList<DeviceRecord> Devices(string? filter = null) => _snapshot.Devices(filter);

    public DeviceRecord? Find(string device) => _snapshot.Find(device);

    public string TopologyJson() => _ledger.Json(_snapshot);

    /// <summary>
    /// Start-up: the pipeline's start steps (autoprobe off everywhere), then every device present judged, again while
    /// binding creates children, so READY means every device (virtio children included) is decided. seqAtStart is read
    /// before the uevent socket opened.
    /// </summary>
    public void Coldplug(ulong seqAtStart) => _worker.Run(() =>
    {
        ZeroEveryBus();
        for (var pass = 0; pass < MaxColdplugPasses; pass++)
        {
            var bound = _registry.BoundCount;
            ScanAll(DeviceOrigin.Coldplug);
            if (_registry.BoundCount == bound) break; // no bind, so no new children
        }
        _registry.CompleteColdplug(seqAtStart);
        if (_settings.LockAfterColdplug && !_ledger.Locked) _ledger.Lock();
        Save();
        _parts.Log.Information("coldplug complete: {Count} devices, {Summary}", _registry.Records.Count, _registry.Summary());
    });

    /// <summary>Handles one kernel uevent. Older than the coldplug scan: already covered. A gap in SEQNUM: events were lost, rescan.</summary>
    public void Handle(Uevent ev) => _worker.Run(() =>
    {
        if (ev.SeqNum != 0 && ev.SeqNum <= _registry.LastSeqNum) return;
        var gap = _registry.LastSeqNum != 0 && ev.SeqNum > _registry.LastSeqNum + 1;
        _registry.SeqNumHandled(ev.SeqNum);
        if (ev.IsBusAdded)
        {
            _parts.Log.Information("bus {Bus} appeared", ev.BusName);
            _processor.Carry(new ZeroAutoprobe(ev.BusName));
            // Each of these events costs a rescan, so under udev's trigger they queue up: a bus a module registered
            // meanwhile must not wait at autoprobe 1 for its own event (seen in the image tier: scsi after ahci).
            ZeroEveryBus();
            ScanAll(DeviceOrigin.Hotplug);
        }
        else if (gap)
        {
            _parts.Log.Warning("uevent sequence gap before {SeqNum}: rescanning", ev.SeqNum);
            _registry.Count(UeventCounter.SequenceGap);
            ZeroEveryBus();
            ScanAll(DeviceOrigin.Hotplug);
        }
        else if (ev.Action == "remove")
        {
            if (_registry.KeyAt(ev.DevPath) is { } key && _registry.Remove(key) is { } removed)
            {
                _parts.Log.Information("device {Device} removed", key);
                MeasureRemoval(removed);
            }
        }
        else if (_parts.Files.Exists(SysfsLayout.BusDevices(ev.Subsystem)))
            HandleDevice(ev);
        Save();
    });

    /// <summary>Full rescan: after ENOBUFS (events lost, counted as an overflow), or to retry pending devices.</summary>
    public void Rescan(string why, bool eventsLost) => _worker.Run(() =>
    {
        _parts.Log.Warning("rescanning all devices: {Why}", why);
        if (eventsLost) _registry.Count(UeventCounter.Overflow);
        ZeroEveryBus();
        ScanAll(DeviceOrigin.Hotplug);
        Save();
    });

    /// <summary>A message the uevent socket dropped (not from the kernel, not root, malformed): counted, written with the next save.</summary>
    public void Dropped(UeventCounter reason) => _worker.Run(() => _registry.Count(reason));

    /// <summary>Writes what changed since the last save; the event loop calls it when the socket is idle.</summary>
    public void Flush() => _worker.Run(() => Save());

    public GateResult ReloadPolicy() => _worker.Run(() =>
    {
        var loaded = _loadPolicy();
        if (loaded.Policy is null)
            return GateResult.Refused("policy not reloaded, nothing changed:\n" + string.Join("\n", loaded.Diagnostics));
        _pipeline = new DecisionPipeline(new PolicyEvaluator(loaded.Policy), _parts.Modules, _settings.PlannerOptions);
        _processor.RetryFailed();
        ScanAll(DeviceOrigin.Hotplug);
        Save();
        return GateResult.Done($"policy reloaded: {loaded.Policy.Rules.Length} rules from {loaded.Policy.Files.Length} files");
    });

    public GateResult LockTopology() => _worker.Run(() =>
    {
        var digest = _snapshot.Topology.Digest;
        if (_ledger.Locked) return GateResult.Done("topology was already locked; digest " + digest);
        _ledger.Lock();
        Save();
        return GateResult.Done("topology locked; digest " + digest);
    });

    public GateResult Accept(string device, bool persistent) => Operator(device, Verdict.Allow, persistent);

    public GateResult Deny(string device, bool persistent) => Operator(device, Verdict.Deny, persistent);

    public void Dispose() => _worker.Dispose();

    private GateResult Operator(string device, Verdict verdict, bool persistent) => _worker.Run(() =>
        _operators.Decide(_snapshot, _inventory.Tree, device, verdict, persistent, ReloadPolicy, () => _snapshot));

    /// <summary>
    /// The pipeline's start steps (every bus to autoprobe 0): at coldplug, at every bus add, and whenever uevents were
    /// lost, since a late or lost add@/bus/X (a module someone else loaded) would leave bus X at 1.
    /// </summary>
    private void ZeroEveryBus()
    {
        foreach (var step in DecisionPipeline.StartSteps) _processor.Carry(step);
    }

    private void HandleDevice(Uevent ev)
    {
        var reader = new InventoryReader(_parts.Files, _pipeline.Policy.Policy.AttributeNames);
        if (reader.ReadDeviceAt(ev.Subsystem, ev.DevPath) is { } device)
        {
            _inventory = reader.Refresh(_inventory, device);
            _processor.Process(_pipeline.Begin(_inventory), device, DeviceOrigin.Hotplug);
        }
        else if (ev.Action == "add")
        {
            _parts.Log.Warning("ignored {Event}: no such device in sysfs (forged, or already gone)", ev.ToString());
            _registry.Count(UeventCounter.NotInSysfs);
        }
    }

    private void ScanAll(DeviceOrigin origin)
    {
        _inventory = new InventoryReader(_parts.Files, _pipeline.Policy.Policy.AttributeNames).Read();
        _processor.ProcessAll(_pipeline.Begin(_inventory), _inventory.Tree.Devices, origin);
        foreach (var removed in _registry.KeepOnly(_inventory.Tree.Devices.Select(d => d.Key).ToHashSet(StringComparer.Ordinal)))
            MeasureRemoval(removed);
    }

    /// <summary>A bound device that left takes its place in the topology with it: measured, with the digest after.</summary>
    private void MeasureRemoval(DeviceRecord removed)
    {
        if (removed.State == DeviceState.Bound)
            _ledger.Record(TopologyEventKind.DeviceRemoved, GateSnapshot.TopologyOf(_registry.Records.Values).Digest, removed);
    }

    private void OnDeviceChanged(DeviceRecord record)
    {
        Publish();
        DeviceChanged?.Invoke(record);
        if (record.State == DeviceState.Violation) TopologyViolation?.Invoke(record);
    }

    /// <summary>Every change ends here: the next reader sees it whole, and what changed is saved (nothing, if nothing did).</summary>
    private void Save(bool always = false)
    {
        LogNewModuleIndexWarnings();
        Publish();
        if (_settings.DryRun) return;
        if (_registry.Save(_settings.ModeName, always) is { } error)
            _parts.Log.Error("{Error}: still enforcing; a restarted daemon will start from sysfs", error);
    }

    /// <summary>A damaged module index shows only when a lookup opens it (answered from the text file): logged once, when it appears.</summary>
    private void LogNewModuleIndexWarnings()
    {
        foreach (var warning in _parts.Modules.Warnings.Skip(_moduleWarningsLogged)) _parts.Log.Warning("module index: {Warning}", warning);
        _moduleWarningsLogged = _parts.Modules.Warnings.Count;
    }

    private void Publish() => _snapshot = new GateSnapshot(_registry.Records, _registry.ColdplugComplete, _ledger.Locked,
        _registry.LastSeqNum, _pipeline.Policy.Policy.Files);
}
