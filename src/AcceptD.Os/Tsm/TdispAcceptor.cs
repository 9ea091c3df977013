using System.Collections.Immutable;
using System.Security.Cryptography;
using AcceptD.Core.Devices;
using AcceptD.Core.Policy;
using AcceptD.Core.Tdisp;
using AcceptD.Os.Sysfs;

namespace AcceptD.Os.Tsm;

/// <summary>
/// Runs <see cref="TdispMachine"/> for one device through the <see cref="TsmAdapter"/>: observe, decide, do one step,
/// repeat. Any abort fails closed: driver_override pinned to "none", a bound driver unbound, the lock released.
/// </summary>
public sealed class TdispAcceptor(TsmAdapter tsm)
{
    /// <summary>More steps than any legal sequence needs (prepare … bind with an EAGAIN or two).</summary>
    private const int MaxSteps = 24;

    /// <summary>
    /// Locks, verifies, accepts and binds <paramref name="device"/>. The drivers' modules must already be loaded (the
    /// plan loads them, with their <see cref="DeviceTrust"/> level). The prepare driver is optional and override-only.
    /// </summary>
    /// <param name="stopBeforeBind">Return as accepted when the next step would bind the final driver: the plan loads its module
    /// only for an accepted device, then runs the sequence again, which re-verifies fresh evidence before it binds.</param>
    /// <param name="lockedEvidence">Under a topology lock, the evidence digest it recorded (see <see cref="TdispGoal"/>).</param>
    public TdispOutcome Run(Device device, TdispEvidence reference, string finalDriver, string? prepareDriver = null, bool stopBeforeBind = false,
        string? lockedEvidence = null)
    {
        var trace = ImmutableArray.CreateBuilder<string>();
        if (tsm.FindGuestTsm() is not { } tsmName)
            return Abort(device, "no TSM with pci_mode devsec in /sys/class/tsm", null, trace);
        var goal = new TdispGoal(tsmName, reference, finalDriver, prepareDriver, lockedEvidence);
        var progress = TdispProgress.Start;
        for (var i = 0; i < MaxSteps; i++)
        {
            var seen = tsm.Observe(device);
            var step = TdispMachine.Decide(goal, seen, progress);
            trace.Add($"{step.Action}: {step.Reason}");
            switch (step.Action)
            {
                case TdispAction.Done:
                    return new TdispOutcome(true, step.Reason, progress.Verdict?.EvidenceDigest, trace.ToImmutable());
                case TdispAction.Failed:
                    return new TdispOutcome(false, step.Reason, null, trace.ToImmutable());
                case TdispAction.Abort:
                    return Abort(device, step.Reason, progress.Verdict?.EvidenceDigest, trace);
                case TdispAction.Violation:
                    return Abort(device, step.Reason, progress.Verdict?.EvidenceDigest, trace) with { Violation = true };
                case TdispAction.BindFinal when stopBeforeBind:
                    return new TdispOutcome(true, $"accepted; {step.Reason} once its module is loaded", progress.Verdict?.EvidenceDigest, trace.ToImmutable());
                default:
                    progress = Perform(step.Action, device, goal, seen, progress);
                    break;
            }
        }
        return Abort(device, $"gave up after {MaxSteps} steps; last: {trace[^1]}", null, trace);
    }

    private TdispProgress Perform(TdispAction action, Device device, TdispGoal goal, TdispObservation seen, TdispProgress progress)
    {
        switch (action)
        {
            case TdispAction.ReadEvidence:
                var read = tsm.GetEvidence(device, RandomNumberGenerator.GetBytes(SpdmTranscript.NonceSize));
                return read.Evidence is { } evidence
                    ? progress with { Evidence = evidence, Verdict = null, Validated = false, Failure = null }
                    : progress with { Failure = new(action, read.Errno, read.Message) };
            case TdispAction.Verify:
                return progress with { Verdict = EvidenceVerifier.Verify(progress.Evidence!, goal.Reference) };
            case TdispAction.Validate:
                var (errno, message) = tsm.Validate(device, progress.Evidence!.Generation);
                return errno switch
                {
                    0 => progress with { Validated = true, Failure = null },
                    // The validate command is [K]: a kernel without it still ties the lock's evidence to RUN itself.
                    Errno.EOPNOTSUPP => progress with { Validated = true, Failure = null },
                    // The evidence changed after it was read: read and verify it again (bounded by MaxSteps).
                    EvidenceResult.EAGAIN => progress with { Evidence = null, Verdict = null, Failure = null },
                    _ => progress with { Failure = new(action, errno, message) },
                };
        }
        try
        {
            switch (action)
            {
                case TdispAction.Prepare: tsm.Prepare(device, goal.PrepareDriver!); break;
                case TdispAction.UnbindPrepare: tsm.Unbind(device, seen.Driver!); break;
                case TdispAction.Lock: tsm.Lock(device, goal.Tsm); break;
                case TdispAction.Accept: tsm.Accept(device); break;
                case TdispAction.BindFinal: tsm.Bind(device, goal.FinalDriver); break;
                default: throw new InvalidOperationException($"no handler for {action}");
            }
            return progress with
            {
                Prepared = progress.Prepared || action == TdispAction.Prepare,
                Locked = progress.Locked || action == TdispAction.Lock,
                Failure = null,
            };
        }
        catch (SysfsWriteException e)
        {
            return progress with { Failure = new(action, e.Errno, e.Message) };
        }
    }

    /// <summary>Takes back a device accepted by an earlier phase whose plan then failed; returns the cleanup's account.</summary>
    public string Release(Device device) => Abort(device, "released", null, ImmutableArray.CreateBuilder<string>()).Reason;

    /// <summary>Pin first (so nothing can bind while we clean up), then unbind, then unlock; each failure is reported.</summary>
    private TdispOutcome Abort(Device device, string reason, string? digest, ImmutableArray<string>.Builder trace)
    {
        var seen = tsm.Observe(device);
        if (!seen.Present)
            return new TdispOutcome(false, reason + "; device removed", digest, trace.ToImmutable());
        var problems = new List<string>();
        Try(() => tsm.PinNoDriver(device), "pin driver_override", problems);
        if (seen.Driver is { } driver) Try(() => tsm.Unbind(device, driver), $"unbind {driver}", problems);
        if (seen.LockedBy is { } locker) Try(() => tsm.Unlock(device, locker), $"unlock via {locker}", problems);
        var cleanup = problems.Count == 0 ? "" : "; cleanup failed: " + string.Join("; ", problems);
        trace.Add($"Abort cleanup: pinned none{(seen.Driver is null ? "" : ", unbound")}{(seen.LockedBy is null ? "" : ", unlocked")}{cleanup}");
        return new TdispOutcome(false, reason + cleanup, digest, trace.ToImmutable());
    }

    private static void Try(Action write, string what, List<string> problems)
    {
        try { write(); }
        catch (SysfsWriteException e) { problems.Add($"{what}: {TdispErrors.Name(e.Errno)}"); }
    }
}
