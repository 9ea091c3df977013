using AcceptD.Core.Devices;
using AcceptD.Core.Planning;
using AcceptD.Os.Sysfs;

namespace AcceptD.Os.Tsm;

/// <summary>
/// Runs the TDISP sequence of a plan step through the guest TSM with <see cref="TdispAcceptor"/>. The generic netlink
/// transport is opened on the first TDISP device and kept for the daemon's life.
/// </summary>
public sealed class TsmSession(IFileView files, ISysfsWriter writer, Func<IGenlTransport> openTransport) : ITdispSession
{
    private IGenlTransport? _transport;

    public TdispResult Accept(AcceptTdisp step, string finalDriver, string? prepareDriver)
    {
        try
        {
            _transport ??= openTransport();
        }
        catch (IOException e)
        {
            return new TdispResult($"{step.Device.Key}: cannot open generic netlink for evidence ({e.Message}); left unbound", null);
        }
        var outcome = new TdispAcceptor(new TsmAdapter(files, writer, _transport)).Run(step.Device, step.Reference, finalDriver, prepareDriver,
            stopBeforeBind: step.Phase == TdispPhase.Accept, lockedEvidence: step.LockedEvidence);
        // The accepted reason says how freshness was proven (or that only the TSM vouches for it): it is the device's TDISP state.
        return outcome.Accepted ? new TdispResult(null, outcome.EvidenceDigest, outcome.Reason)
            : new TdispResult($"TDISP: {outcome.Reason}", null, Violation: outcome.Violation);
    }

    public string? Release(Device device)
    {
        var outcome = new TdispAcceptor(new TsmAdapter(files, writer, _transport!)).Release(device);
        return outcome.Contains("cleanup failed", StringComparison.Ordinal) ? outcome : null;
    }
}
