using AcceptD.Core.Devices;
using AcceptD.Core.Planning;
using AcceptD.Core.Tdisp;
using AcceptD.Os.Sysfs;

namespace AcceptD.Os.Tsm;

/// <summary>
/// The guest TDISP ABI [P] (kernel-interfaces.md §4.3–4.6): the only code that knows the tsm/ file names, the TSM
/// class, and the device-evidence netlink encoding. Reads go through <see cref="IFileView"/>, writes through
/// <see cref="ISysfsWriter"/> (a refused write throws <see cref="SysfsWriteException"/> with the kernel's errno).
/// </summary>
public sealed class TsmAdapter(IFileView files, ISysfsWriter writer, IGenlTransport genl)
{
    private readonly DriverBinder _binder = new(files, writer);

    /// <summary>
    /// Module parameter for the final driver of an accepted device under the devsec-phase2 "device trust" design [P]:
    /// trust=tcb lets it use private (T=1) DMA. Kernels without CONFIG_DEVICE_TRUST log and ignore it.
    /// </summary>
    public const string TrustParameter = "trust=tcb";

    private const int EvidenceAttempts = 3;
    private ushort? _family;
    private uint _seq;

    /// <summary>The first TSM (in numeric order) whose pci_mode is "devsec"; null when the guest has none.</summary>
    public string? FindGuestTsm() => files.List(SysfsLayout.TsmClass)
        .Where(name => files.Read(SysfsLayout.TsmPciMode(name)) == "devsec")
        .OrderBy(name => name.Length).ThenBy(name => name, StringComparer.Ordinal)
        .FirstOrDefault();

    public TdispObservation Observe(Device device)
    {
        var dir = device.SysPath;
        if (!files.Exists(dir)) return TdispObservation.Gone;
        var lockedBy = files.Read(SysfsLayout.TsmLock(dir))?.Trim();
        return new TdispObservation(
            Present: true,
            Driver: _binder.CurrentDriver(device),
            LockedBy: string.IsNullOrEmpty(lockedBy) ? null : lockedBy,
            Accepted: files.Read(SysfsLayout.TsmAccept(dir))?.Trim() == "1");
    }

    public void Lock(Device device, string tsm) => writer.Write(SysfsLayout.TsmLock(device), tsm);

    public void Accept(Device device) => writer.Write(SysfsLayout.TsmAccept(device), "1");

    public void Unlock(Device device, string tsm) => writer.Write(SysfsLayout.TsmUnlock(device), tsm);

    /// <summary>driver_override "none": no driver of that name exists, so nothing can bind the device.</summary>
    public void PinNoDriver(Device device) => _binder.Override(device, SetOverride.NoDriver);

    public void Unbind(Device device, string driver) => _binder.Unbind(device, driver);

    /// <summary>Runs an override-only prepare driver on the unlocked device: bind, unbind, clear the override.</summary>
    public void Prepare(Device device, string driver)
    {
        Bind(device, driver);
        Unbind(device, driver);
        _binder.Override(device, "\n");
    }

    /// <summary>
    /// Binds the final driver, pinned by driver_override. Its module must already be loaded with
    /// <see cref="TrustParameter"/> (module loading belongs to the driver resolver).
    /// </summary>
    public void BindWithTrust(Device device, string driver) => Bind(device, driver);

    private void Bind(Device device, string driver)
    {
        _binder.Override(device, driver);
        _binder.Bind(device, driver, hasBindFile: null);
    }

    /// <summary>Dumps every evidence type with the nonce; restarts when the kernel reports EAGAIN (evidence changed).</summary>
    public EvidenceResult GetEvidence(Device device, byte[] nonce)
    {
        EvidenceResult result = EvidenceResult.Fail(EvidenceResult.EAGAIN, "not attempted");
        for (var attempt = 0; attempt < EvidenceAttempts && result.Errno == EvidenceResult.EAGAIN; attempt++)
        {
            var assembler = new EvidenceAssembler();
            var exchange = Converse(family => DeviceEvidenceCodec.Read(family, ++_seq, device.Bus, device.Name, DeviceEvidenceFamily.AllTypes, nonce),
                assembler.Feed);
            result = exchange.Errno != 0 ? EvidenceResult.Fail(exchange.Errno, exchange.Message)
                : assembler.Result ?? EvidenceResult.Fail(EvidenceResult.EPROTO, "dump ended without NLMSG_DONE");
        }
        return result;
    }

    /// <summary>Asks whether <paramref name="generation"/> is still current. Errno 0 when it is.</summary>
    public (int Errno, string Message) Validate(Device device, uint generation)
    {
        var exchange = Converse(family => DeviceEvidenceCodec.Validate(family, ++_seq, device.Bus, device.Name, generation), _ => { });
        return (exchange.Errno, exchange.Message);
    }

    /// <summary>Resolves the family once, then exchanges one request; transport failures become their errno.</summary>
    private ExchangeResult Converse(Func<ushort, byte[]> request, Action<NetlinkMessage> feed)
    {
        try
        {
            if (_family is null)
            {
                var lookup = Exchange(DeviceEvidenceCodec.GetFamily(++_seq, DeviceEvidenceFamily.Name), _ => { });
                if (lookup.Errno != 0) return lookup with { Message = $"generic netlink family {DeviceEvidenceFamily.Name}: {lookup.Message}" };
                _family = DeviceEvidenceCodec.FamilyId(lookup.Replies);
                if (_family is null) return new ExchangeResult(EvidenceResult.EPROTO, "nlctrl reply without a family id", []);
            }
            return Exchange(request(_family.Value), feed);
        }
        catch (GenlTransportException e)
        {
            return new ExchangeResult(e.Errno, e.Message, []);
        }
    }

    private sealed record ExchangeResult(int Errno, string Message, List<NetlinkMessage> Replies);

    /// <summary>
    /// Sends one request (every request asks for an ack or is a dump) and feeds its replies (same sequence number) to
    /// <paramref name="feed"/> until the ack, an error or the end of the dump.
    /// </summary>
    private ExchangeResult Exchange(byte[] request, Action<NetlinkMessage> feed)
    {
        var seq = BitConverter.ToUInt32(request, 8);
        genl.Send(request);
        var replies = new List<NetlinkMessage>();
        while (true)
        {
            var messages = NetlinkDecoder.Decode(genl.Receive(), out var error);
            foreach (var message in messages.Where(m => m.Seq == seq))
            {
                replies.Add(message);
                feed(message);
                if (message is NetlinkStatus status)
                    return new ExchangeResult(status.Errno, status.ExtAck ?? TdispErrors.Name(status.Errno), replies);
            }
            if (error is not null) return new ExchangeResult(EvidenceResult.EPROTO, error, replies);
        }
    }
}
