using AcceptD.Core.Devices;
using AcceptD.Core.Measurement;
using AcceptD.Core.Planning;
using AcceptD.Core.Policy;
using AcceptD.Core.State;
using AcceptD.Os.Sysfs;
using AcceptD.Os.Systemd;
using Serilog;

namespace AcceptD.Daemon;

/// <summary>
/// One device through the gate: decided by the pipeline, its plan carried out (or, in a dry run, noted as the writes
/// it would make), the outcome recorded, logged with its journal message id, and measured when it changes the topology.
/// </summary>
public sealed class DeviceProcessor(PlanExecutor? executor, PlanBatch? batch, DeviceRegistry registry, TopologyLedger ledger, ILogger log, TimeProvider time)
{
    /// <summary>
    /// Devices whose carried-out plan failed (a refused bind, a failed probe or module load, a failed TDISP sequence)
    /// since the last policy load: left alone until <see cref="RetryFailed"/>, not probed again on every rescan.
    /// </summary>
    private readonly HashSet<string> _failed = new(StringComparer.Ordinal);

    /// <summary>Raised on the worker after a device's record changed.</summary>
    public event Action<DeviceRecord>? Changed;

    /// <summary>Raised on the worker after kernel writes were made (one plan, or a batch): time to save.</summary>
    public event Action? CarriedOut;

    /// <summary>One device (a uevent's): decided, carried out, recorded.</summary>
    public void Process(DecisionPass pass, Device device, DeviceOrigin origin) => ProcessAll(pass, [device], origin);

    /// <summary>
    /// The devices of one scan, in tree order: all decided first (a decision depends on the device's own record only),
    /// then carried out, on the batch's workers when there is one and no plan runs a TDISP sequence, else one by one
    /// and saved after each; then recorded in tree order, so the records, the log and the measurements are those of a
    /// serial run.
    /// </summary>
    public void ProcessAll(DecisionPass pass, IEnumerable<Device> devices, DeviceOrigin origin)
    {
        var changes = devices.Select(d => Decide(pass, d, origin)).OfType<DeviceChange>().ToList();
        if (executor is not null && batch is not null && changes.Count(c => !c.Plan.IsEmpty) > 1 && PlanBatch.Accepts(changes.Select(c => c.Plan)))
        {
            var results = batch.Execute([.. changes.Select(c => c.Plan)]);
            for (var i = 0; i < changes.Count; i++) Record(changes[i], results[i]);
            CarriedOut?.Invoke();
            return;
        }
        foreach (var change in changes)
        {
            Record(change, Carry(change.Plan));
            if (!change.Plan.IsEmpty) CarriedOut?.Invoke(); // saved before the next device, so a crash cannot forget it
        }
    }

    /// <summary>A device's plan and what it was decided from; null when nothing is new for it.</summary>
    private sealed record DeviceChange(Device Device, DeviceRecord? Previous, bool BoundBefore, BindPlan Plan);

    private DeviceChange? Decide(DecisionPass pass, Device device, DeviceOrigin origin)
    {
        var previous = registry.Get(device.Key);
        // Pre-bound only as the prebound record says, and never again once AcceptD saw the device otherwise.
        var boundBefore = device.Driver is { } current && registry.Prebound.Contains(device.Key, current) && (previous?.BoundBeforeStart ?? true);
        // Never seen and not in the locked record: denied whatever the policy says. One that comes back is checked below.
        var newAfterLock = previous is null && ledger.TopologyLock is { } frozen && frozen.Locked.Find(device.Key) is null;
        var tdispVerified = previous?.EvidenceDigest is { } verified && ledger.MeasuredEvidence(device.Name, verified);
        if (previous?.State is DeviceState.Failed or DeviceState.Violation && device.Driver is null && _failed.Contains(device.Key))
            return null; // a failed (or lock-refused TDISP) device stays so (no probe, lock, read, unlock every rescan) until a reload or operator action
        var plan = pass.Plan(device, origin, boundBefore, newAfterLock, tdispVerified, ledger.TopologyLock);
        var verdict = plan.Decision.Verdict.ToString().ToLowerInvariant();
        var sameOutcome = previous?.State == plan.Outcome || (previous?.State == DeviceState.Violation && plan.Outcome == DeviceState.Denied);
        if (previous is not null && plan.IsEmpty && sameOutcome && previous.Verdict == verdict && previous.Driver == device.Driver)
            return null; // nothing new: idempotent across events, rescans and restarts; a violation stays recorded as one
        return new DeviceChange(device, previous, boundBefore, plan);
    }

    private void Record(DeviceChange change, ExecutionResult result)
    {
        var (device, previous, boundBefore, plan) = change;
        var verdict = plan.Decision.Verdict.ToString().ToLowerInvariant();
        var (state, driver, error, _, evidence, tdispState) = result;
        if (state == DeviceState.Violation && plan.Outcome == DeviceState.Violation && previous?.State == DeviceState.Bound)
            state = DeviceState.Denied; // we bound it under the old policy; a reload or operator deny took it back (a TDISP refusal stays a violation)
        if (plan.Decision.Rule == DeviceJudge.TopologyLockRule && state == DeviceState.Denied)
            state = DeviceState.Violation; // the lock refused it (new, changed, or not bound when locked): a violation
        if ((state == DeviceState.Failed && !plan.IsEmpty) || (state == DeviceState.Violation && plan.Steps.Any(s => s is AcceptTdisp))) _failed.Add(device.Key);
        else _failed.Remove(device.Key);
        var now = time.GetUtcNow();
        var record = new DeviceRecord(device.Key, device.Bus, device.Name, device.Path, device.Modalias, device.Ids, driver,
            state, verdict, plan.Decision.Rule.Location.ToString(), plan.Decision.Reason, plan.Decision.Chosen?.DriverOrModule,
            boundBefore, previous?.FirstSeen ?? now, now, error ?? plan.Note, TdispState: tdispState ?? previous?.TdispState,
            EvidenceDigest: evidence ?? previous?.EvidenceDigest);
        registry.Put(record);
        // The topology digest after this change, computed only for a change that is measured (a scan decides many that are not).
        string Digest() => GateSnapshot.TopologyOf(registry.Records.Values).Digest;
        if (state == DeviceState.Bound && previous?.State != DeviceState.Bound)
        {
            var digest = Digest();
            if (record.EvidenceDigest is not null) ledger.Record(TopologyEventKind.EvidenceVerified, digest, record);
            ledger.Record(TopologyEventKind.DeviceAccepted, digest, record);
        }
        if (state == DeviceState.Violation && previous?.State != DeviceState.Violation) ledger.Record(TopologyEventKind.Violation, Digest(), record);
        // The template's properties are the event's (and the journal's DEVICE=, RULE=, ... fields): no ForContext copies.
        log.WithMessageId(MessageIdFor(state)).Information("{Device}: {Decision} by {Rule} ({Reason}) -> {State}{Error}", device.Key, verdict, record.Rule,
                record.Reason, state.Name(), record.Error is null ? "" : ": " + record.Error);
        Changed?.Invoke(record);
    }

    /// <summary>
    /// Writes decisions an earlier instance of this boot made without a journal (the initramfs-tools initrd logs to a
    /// file) to the journal once, with a decision's fields, so that `journalctl ACCEPTD_DECISION=deny` finds them too.
    /// </summary>
    public void CarryIntoJournal(IEnumerable<DeviceRecord> earlier)
    {
        foreach (var record in earlier.Where(r => r.Verdict is not null))
            log.WithMessageId(JournalMessageIds.DecisionCarriedOver).Information(
                "{Device}: {Decision} by {Rule} ({Reason}) -> {State}, decided by an earlier instance that had no journal",
                record.Key, record.Verdict, record.Rule, record.Reason, record.State.Name());
    }

    /// <summary>A policy reload or an operator decision: failed TDISP devices are tried again.</summary>
    public void RetryFailed() => _failed.Clear();

    /// <summary>Carries out a step that belongs to no device (autoprobe off); in a dry run, logs it.</summary>
    public void Carry(PlanStep step)
    {
        if (executor is null)
            log.Information("dry-run: would {Write}", step.Describe());
        else if (executor.Execute(step) is { } error)
            log.Error("{Error}", error);
    }

    private ExecutionResult Carry(BindPlan plan)
    {
        if (plan.IsEmpty) return new ExecutionResult(plan.Outcome, plan.Facts.Device.Driver, null);
        if (executor is null) // dry-run: the writes become the device's note (logged with its decision, shown by `acceptd show`)
            return new ExecutionResult(DeviceState.Decided, plan.Facts.Device.Driver, "dry-run: would " + string.Join(" | ", plan.Steps.Select(s => s.Describe())));
        return executor.Execute(plan);
    }

    private static Guid MessageIdFor(DeviceState state) => state switch
    {
        DeviceState.Bound => JournalMessageIds.DeviceBound,
        DeviceState.Denied or DeviceState.Reported => JournalMessageIds.DeviceDenied,
        DeviceState.Violation => JournalMessageIds.PolicyViolation,
        DeviceState.Failed => JournalMessageIds.KernelError,
        _ => JournalMessageIds.DeviceDecided,
    };
}
