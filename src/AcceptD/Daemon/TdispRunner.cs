using AcceptD.Core.Devices;
using AcceptD.Core.Planning;
using AcceptD.Os.Sysfs;
using AcceptD.Os.Tsm;

namespace AcceptD.Daemon;

/// <summary>Runs the TDISP sequence of a plan through the guest TSM; the plan binds afterwards (accept-only mode).</summary>
public sealed class TdispRunner(IFileView files, ISysfsWriter writer)
{
    private static readonly TimeSpan NetlinkTimeout = TimeSpan.FromSeconds(10);

    public TdispResult Run(AcceptTdisp step)
    {
        GenlSocket socket;
        try
        {
            socket = new GenlSocket(NetlinkTimeout);
        }
        catch (IOException e)
        {
            return new TdispResult($"{step.Device.Key}: cannot open generic netlink for evidence ({e.Message}); left unbound", null);
        }
        using (socket)
        {
            var outcome = new TdispAcceptor(new TsmAdapter(files, writer, socket)).Run(step.Device, step.Reference, finalDriver: null);
            return outcome.Accepted
                ? new TdispResult(null, outcome.EvidenceDigest)
                : new TdispResult($"TDISP: {outcome.Reason}", null);
        }
    }
}
