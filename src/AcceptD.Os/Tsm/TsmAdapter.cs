using AcceptD.Core.Devices;
using AcceptD.Core.Planning;
using AcceptD.Core.Tdisp;
using AcceptD.Os.Sysfs;

namespace AcceptD.Os.Tsm;

/// <summary>
/// The guest TDISP ABI [P] (kernel-interfaces.md §4.3–4.6): the only code that knows the tsm/ file names, the TSM
/// class, and which evidence netlink family (<see cref="EvidenceFamily"/>) this kernel speaks. Reads go through <see cref="IFileView"/>, writes through
/// <see cref="ISysfsWriter"/> (a refused write throws <see cref="SysfsWriteException"/> with the kernel's errno).
/// </summary>
public sealed class TsmAdapter(IFileView files, ISysfsWriter writer, IGenlTransport genl)
{
    private readonly DriverBinder _binder = new(files, writer);

    private const int EvidenceAttempts = 3, ENOENT = 2, EOPNOTSUPP = 95;
    private (EvidenceFamily Family, ushort Id)? _family;
    private uint _seq;

    /// <summary>The guest TSM to lock with (<see cref="TsmClass.GuestTsm"/>: the one the planner expects in tsm/lock).</summary>
    public string? FindGuestTsm() => TsmClass.GuestTsm(files);

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
    /// Binds a driver pinned by driver_override, through the same bind path as every plan's bind. Trust is the
    /// module's (<see cref="DeviceTrust"/>, given when the plan loaded it).
    /// </summary>
    public void Bind(Device device, string driver)
    {
        _binder.Override(device, driver);
        _binder.Bind(device, driver, hasBindFile: null);
    }

    /// <summary>
    /// Dumps every evidence type with the nonce; restarts when the kernel reports EAGAIN (evidence changed). The
    /// evidence carries the nonce and how the family lets its freshness be proven.
    /// </summary>
    public EvidenceResult GetEvidence(Device device, byte[] nonce)
    {
        EvidenceResult result = EvidenceResult.Fail(EvidenceResult.EAGAIN, "not attempted");
        for (var attempt = 0; attempt < EvidenceAttempts && result.Errno == EvidenceResult.EAGAIN; attempt++)
        {
            EvidenceAssembler? assembler = null;
            var exchange = Converse(family =>
            {
                assembler = new EvidenceAssembler(family.Family);
                return EvidenceCodec.Read(family.Family, family.Id, ++_seq, device.Bus, device.Name, EvidenceFamily.AllTypes, nonce);
            }, message => assembler!.Feed(message));
            result = exchange.Errno != 0 ? EvidenceResult.Fail(exchange.Errno, exchange.Message)
                : assembler?.Result ?? EvidenceResult.Fail(EvidenceResult.EPROTO, "dump ended without NLMSG_DONE");
        }
        if (result.Evidence is { } evidence)
            result = result with { Evidence = evidence with { Nonce = [.. nonce], Freshness = _family!.Value.Family.Freshness } };
        return result;
    }

    /// <summary>Asks whether <paramref name="generation"/> is still current. Errno 0 when it is; EOPNOTSUPP when the family cannot tell.</summary>
    public (int Errno, string Message) Validate(Device device, uint generation)
    {
        var exchange = Converse(family => EvidenceCodec.Validate(family.Family, family.Id, ++_seq, device.Bus, device.Name, generation), _ => { });
        return (exchange.Errno, exchange.Message);
    }

    /// <summary>
    /// Finds the family once (the first of <see cref="EvidenceFamily.Known"/> that nlctrl knows), then exchanges one
    /// request; a request the family has no command for is EOPNOTSUPP; transport failures become their errno.
    /// </summary>
    private ExchangeResult Converse(Func<(EvidenceFamily Family, ushort Id), byte[]?> request, Action<NetlinkMessage> feed)
    {
        try
        {
            if (_family is null && FindFamily() is { } missing) return missing;
            return request(_family!.Value) is { } bytes
                ? Exchange(bytes, feed)
                : new ExchangeResult(EOPNOTSUPP, $"the {_family!.Value.Family.Name} family has no such command", []);
        }
        catch (GenlTransportException e)
        {
            return new ExchangeResult(e.Errno, e.Message, []);
        }
    }

    /// <summary>Sets <see cref="_family"/>, or returns why no family could be used (ENOENT: the kernel has neither).</summary>
    private ExchangeResult? FindFamily()
    {
        foreach (var family in EvidenceFamily.Known)
        {
            var lookup = Exchange(EvidenceCodec.GetFamily(++_seq, family.Name), _ => { });
            if (lookup.Errno == ENOENT) continue;
            if (lookup.Errno != 0) return lookup with { Message = $"generic netlink family {family.Name}: {lookup.Message}" };
            if (EvidenceCodec.FamilyId(lookup.Replies) is not { } id)
                return new ExchangeResult(EvidenceResult.EPROTO, $"nlctrl reply for {family.Name} without a family id", []);
            _family = (family, id);
            return null;
        }
        return new ExchangeResult(ENOENT,
            $"no evidence netlink family: neither {string.Join(" nor ", EvidenceFamily.Known.Select(f => f.Name))} is registered", []);
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
