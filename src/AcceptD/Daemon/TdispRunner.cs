using AcceptD.Core.Devices;
using AcceptD.Core.Planning;
using AcceptD.Os.Sysfs;
using AcceptD.Os.Tsm;

namespace AcceptD.Daemon;

/// <summary>
/// Runs the TDISP sequence of a plan through the guest TSM; the plan binds afterwards (accept-only mode).
/// The generic netlink transport is opened on the first TDISP device and kept for the daemon's life.
/// </summary>
public sealed class TdispRunner(IFileView files, ISysfsWriter writer, Func<IGenlTransport> openTransport)
{
    private IGenlTransport? _transport;

    public TdispResult Run(AcceptTdisp step)
    {
        try
        {
            _transport ??= openTransport();
        }
        catch (IOException e)
        {
            return new TdispResult($"{step.Device.Key}: cannot open generic netlink for evidence ({e.Message}); left unbound", null);
        }
        var outcome = new TdispAcceptor(new TsmAdapter(files, writer, _transport)).Run(step.Device, step.Reference, finalDriver: null);
        // The accepted reason says how freshness was proven (or that only the TSM vouches for it): it is the device's TDISP state.
        return outcome.Accepted ? new TdispResult(null, outcome.EvidenceDigest, outcome.Reason) : new TdispResult($"TDISP: {outcome.Reason}", null);
    }
}
