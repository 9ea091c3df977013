using AcceptD.Os.Sysfs;
using AcceptD.Os.Tsm;

namespace AcceptD.Testing.TsmSimulator;

/// <summary>The device-evidence generic netlink family, version 1 [P] (drivers/base/evidence.c in devsec-phase2).</summary>
public sealed partial class SimulatedKernel
{
    private const ushort NlCtrl = 0x10, FlagDump = 0x300, FlagAck = 0x4, FlagMulti = 0x2;
    private const ushort AType = 1, AMask = 2, AFlags = 3, ASubsys = 4, ADev = 5, ANonce = 6, AGeneration = 7, ALength = 9, AVal = 10;
    private readonly Queue<byte[]> _datagrams = new();
    private Dump? _dump;

    public ushort FamilyId { get; set; } = 0x1d;
    public bool FamilyRegistered { get; set; } = true;
    public bool ValidateSupported { get; set; } = true;
    /// <summary>Largest VAL chunk per message (the kernel fills a page-sized skb).</summary>
    public int ChunkSize { get; set; } = 1024;
    public int DatagramSize { get; set; } = 4096;
    /// <summary>How many evidence reads get their evidence changed after the first datagram (answered with EAGAIN).</summary>
    public int EvidenceDisturbances { get; set; }

    private sealed class Dump(SimulatedDevice device, uint seq, uint generation, Queue<byte[]> messages)
    {
        public SimulatedDevice Device { get; } = device;
        public uint Seq { get; } = seq;
        public uint Generation { get; } = generation;
        public Queue<byte[]> Messages { get; } = messages;
        public bool Started { get; set; }
    }

    public void Send(ReadOnlySpan<byte> bytes)
    {
        var request = NetlinkWire.ParseRequest(bytes);
        if (request.Type == NlCtrl && request.Cmd == 3) GetFamily(request);
        else if (request.Type == FamilyId && FamilyRegistered && request.Cmd == 1) StartDump(request);
        else if (request.Type == FamilyId && FamilyRegistered && request.Cmd == 2 && ValidateSupported) Validate(request);
        else _datagrams.Enqueue(NetlinkWire.Error(request, Errno.EOPNOTSUPP));
        Applied($"netlink family {request.Type} cmd {request.Cmd} seq {request.Seq}");
    }

    public byte[] Receive()
    {
        if (_datagrams.TryDequeue(out var datagram)) return datagram;
        if (_dump is not { } dump) throw new GenlTransportException(110, "recv(netlink): Connection timed out");
        if (dump.Started && EvidenceDisturbances > 0)
        {
            EvidenceDisturbances--;
            dump.Device.Generation++;
        }
        dump.Started = true;
        if (dump.Device.Generation != dump.Generation)
        {
            _dump = null;
            return NetlinkWire.Done(dump.Seq, Errno.EAGAIN, "evidence updated during read");
        }
        var packed = new List<byte>();
        while (dump.Messages.TryPeek(out var next) && (packed.Count == 0 || packed.Count + next.Length <= DatagramSize))
            packed.AddRange(dump.Messages.Dequeue());
        if (dump.Messages.Count == 0 && packed.Count + 20 <= DatagramSize)
        {
            packed.AddRange(NetlinkWire.Done(dump.Seq));
            _dump = null;
        }
        else if (packed.Count == 0)
        {
            _dump = null;
            return NetlinkWire.Done(dump.Seq);
        }
        return [.. packed];
    }

    private void GetFamily(NetlinkWire.Request request)
    {
        if (!FamilyRegistered || request.Str(2) != "device-evidence")
        {
            _datagrams.Enqueue(NetlinkWire.Error(request, Errno.ENOENT));
            return;
        }
        _datagrams.Enqueue([
            .. NetlinkWire.Genl(NlCtrl, 0, request.Seq, 1,
                NetlinkWire.Attr(1, BitConverter.GetBytes(FamilyId)), NetlinkWire.Attr(2, "device-evidence\0"u8)),
            .. (request.Flags & FlagAck) != 0 ? NetlinkWire.Error(request, 0) : []]);
    }

    private SimulatedDevice? Target(NetlinkWire.Request request, bool needMask)
    {
        string? error = request.Str(ASubsys) is null ? "missing subsys" : request.Str(ADev) is null ? "missing dev-name"
            : needMask && request.U32(AMask) is not ({ } m and > 0 and <= 2047) ? "type-mask missing or invalid"
            : request.U32(AFlags) is { } f && (f & ~1u) != 0 ? "unknown flags" : null;
        if (error is not null) { _datagrams.Enqueue(NetlinkWire.Error(request, Errno.EINVAL, error)); return null; }
        if (request.Str(ASubsys) != "pci") { _datagrams.Enqueue(NetlinkWire.Error(request, Errno.EOPNOTSUPP, "no evidence provider")); return null; }
        if (!_devices.TryGetValue(request.Str(ADev)!, out var device) || !device.Present || device.LockedBy is null)
        {
            _datagrams.Enqueue(NetlinkWire.Error(request, Errno.ENODEV, "device has no evidence"));
            return null;
        }
        return device;
    }

    private void StartDump(NetlinkWire.Request request)
    {
        if ((request.Flags & FlagDump) != FlagDump) { _datagrams.Enqueue(NetlinkWire.Error(request, Errno.EOPNOTSUPP)); return; }
        if (Target(request, needMask: true) is not { } device) return;
        if (request.Attrs.TryGetValue(ANonce, out var nonce) && nonce.Length > 32)
        {
            _datagrams.Enqueue(NetlinkWire.Error(request, Errno.EINVAL, "nonce longer than 32 bytes"));
            return;
        }
        if (nonce is not null && !device.NonceSupported)
        {
            _datagrams.Enqueue(NetlinkWire.Error(request, Errno.EOPNOTSUPP, "provider cannot refresh evidence"));
            return;
        }
        var messages = new Queue<byte[]>();
        var mask = request.U32(AMask)!.Value;
        for (var type = 0u; type <= 10; type++)
        {
            if ((mask & (1u << (int)type)) == 0) continue;
            var blob = device.Blob((AcceptD.Core.Tdisp.EvidenceType)type);
            var first = Math.Min(ChunkSize, blob.Length);
            messages.Enqueue(NetlinkWire.Genl(FamilyId, FlagMulti, request.Seq, 1,
                NetlinkWire.U32(AType, type), NetlinkWire.U32(AGeneration, device.Generation),
                NetlinkWire.U32(ALength, (uint)blob.Length), NetlinkWire.Attr(AVal, blob.AsSpan(0, first))));
            for (var at = first; at < blob.Length; at += ChunkSize)
                messages.Enqueue(NetlinkWire.Genl(FamilyId, FlagMulti, request.Seq, 1,
                    NetlinkWire.Attr(AVal, blob.AsSpan(at, Math.Min(ChunkSize, blob.Length - at)))));
        }
        _dump = new Dump(device, request.Seq, device.Generation, messages);
    }

    private void Validate(NetlinkWire.Request request)
    {
        if (Target(request, needMask: false) is not { } device) return;
        _datagrams.Enqueue(request.U32(AGeneration) == device.Generation
            ? NetlinkWire.Error(request, 0)
            : NetlinkWire.Error(request, Errno.EAGAIN, "evidence generation is stale"));
    }
}
