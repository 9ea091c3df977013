using AcceptD.Os.Sysfs;
using AcceptD.Os.Tsm;

namespace AcceptD.Testing.TsmSimulator;

/// <summary>
/// The two proposed guest evidence families [P] (kernel-interfaces.md §4.5): "device-evidence" v1 (devsec-phase2,
/// drivers/base/evidence.c) and "pci-tsm" (v2 series). Every number here is the simulator's own literal, written from
/// that document, never AcceptD's constants: an adapter that gets a number wrong must fail against it.
/// </summary>
public sealed partial class SimulatedKernel
{
    private const ushort NlCtrl = 0x10, FlagRequest = 0x1, FlagAck = 0x4, FlagDump = 0x300, FlagMulti = 0x2;

    /// <summary>One family's numbers; MaxRequestAttr is the highest attribute its request policy knows (read: NONCE,
    /// validate: GENERATION), above which strict genetlink validation answers EINVAL.</summary>
    private sealed record Layout(string Name, ushort Id, byte Version, ushort Type, ushort Mask, ushort Flags, ushort? Subsys,
        ushort Dev, ushort Nonce, int MaxNonce, ushort? Generation, ushort? Length, ushort Val, byte? ValidateCmd)
    {
        public ushort MaxRequestAttr(byte cmd) => cmd == ValidateCmd ? Generation!.Value : Nonce;
    }

    private static readonly Layout[] Layouts =
    [
        new("device-evidence", 0x1d, 1, Type: 1, Mask: 2, Flags: 3, Subsys: 4, Dev: 5, Nonce: 6, MaxNonce: 32, Generation: 7, Length: 9, Val: 10, ValidateCmd: 2),
        new("pci-tsm", 0x1e, 1, Type: 1, Mask: 2, Flags: 3, Subsys: null, Dev: 4, Nonce: 5, MaxNonce: 256, Generation: null, Length: null, Val: 6, ValidateCmd: null),
    ];

    private readonly Queue<byte[]> _datagrams = new();
    private Dump? _dump;

    /// <summary>The evidence families this kernel registers (by name): phase2, v2, both or none.</summary>
    public string[] Families { get; set; } = ["device-evidence"];
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
        var layout = Layouts.FirstOrDefault(l => l.Id == request.Type && Families.Contains(l.Name));
        // netlink_rcv_skb(): a message without NLM_F_REQUEST is not handed to the family; only acked if asked to.
        if ((request.Flags & FlagRequest) == 0)
        {
            if ((request.Flags & FlagAck) != 0) _datagrams.Enqueue(NetlinkWire.Error(request, 0));
        }
        else if (request.Type == NlCtrl && request.Cmd == 3) GetFamily(request);
        else if (layout is null) _datagrams.Enqueue(NetlinkWire.Error(request, Errno.EOPNOTSUPP));
        // Stricter than mainline genetlink, which does not compare genlmsghdr.version: a wrong version is a wrong adapter.
        else if (request.Version != layout.Version) _datagrams.Enqueue(NetlinkWire.Error(request, Errno.EINVAL, "unsupported version"));
        else if (request.Attrs.Keys.FirstOrDefault(a => a > layout.MaxRequestAttr(request.Cmd)) is var unknown and > 0)
            _datagrams.Enqueue(NetlinkWire.Error(request, Errno.EINVAL, $"Unknown attribute type {unknown}"));
        else if (request.Cmd == 1) StartDump(layout, request);
        else if (request.Cmd == layout.ValidateCmd && ValidateSupported) Validate(layout, request);
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
        if (Layouts.FirstOrDefault(l => l.Name == request.Str(2) && Families.Contains(l.Name)) is not { } layout)
        {
            _datagrams.Enqueue(NetlinkWire.Error(request, Errno.ENOENT));
            return;
        }
        _datagrams.Enqueue([
            .. NetlinkWire.Genl(NlCtrl, 0, request.Seq, 1,
                NetlinkWire.Attr(1, BitConverter.GetBytes(layout.Id)), NetlinkWire.Attr(2, [.. System.Text.Encoding.ASCII.GetBytes(layout.Name), 0])),
            .. (request.Flags & FlagAck) != 0 ? NetlinkWire.Error(request, 0) : []]);
    }

    private SimulatedDevice? Target(Layout layout, NetlinkWire.Request request, bool needMask)
    {
        string? error = layout.Subsys is { } s && request.Str(s) is null ? "missing subsys" : request.Str(layout.Dev) is null ? "missing dev-name"
            : needMask && request.U32(layout.Mask) is not ({ } m and > 0 and <= 2047) ? "type-mask missing or invalid"
            : request.U32(layout.Flags) is { } f && (f & ~1u) != 0 ? "unknown flags" : null;
        if (error is not null) { _datagrams.Enqueue(NetlinkWire.Error(request, Errno.EINVAL, error)); return null; }
        if (layout.Subsys is { } subsys && request.Str(subsys) != "pci") { _datagrams.Enqueue(NetlinkWire.Error(request, Errno.EOPNOTSUPP, "no evidence provider")); return null; }
        if (!_devices.TryGetValue(request.Str(layout.Dev)!, out var device) || !device.Present || device.LockedBy is null)
        {
            _datagrams.Enqueue(NetlinkWire.Error(request, Errno.ENODEV, "device has no evidence"));
            return null;
        }
        return device;
    }

    private void StartDump(Layout layout, NetlinkWire.Request request)
    {
        if ((request.Flags & FlagDump) != FlagDump) { _datagrams.Enqueue(NetlinkWire.Error(request, Errno.EOPNOTSUPP)); return; }
        if (Target(layout, request, needMask: true) is not { } device) return;
        if (request.Attrs.TryGetValue(layout.Nonce, out var nonce) && nonce.Length > layout.MaxNonce)
        {
            _datagrams.Enqueue(NetlinkWire.Error(request, Errno.EINVAL, $"nonce longer than {layout.MaxNonce} bytes"));
            return;
        }
        if (nonce is not null && !device.NonceSupported)
        {
            _datagrams.Enqueue(NetlinkWire.Error(request, Errno.EOPNOTSUPP, "provider cannot refresh evidence"));
            return;
        }
        // device-evidence: a nonce makes the provider refresh, so the SPDM exchange carries it. pci-tsm's nonce is not
        // the SPDM nonce: its measurements stay those the TSM collected at lock time.
        if (nonce is not null && layout.Generation is not null) device.Refresh(nonce);
        var messages = new Queue<byte[]>();
        var mask = request.U32(layout.Mask)!.Value;
        for (var type = 0u; type <= 10; type++)
        {
            if ((mask & (1u << (int)type)) == 0) continue;
            var blob = device.Blob(type);
            var first = Math.Min(ChunkSize, blob.Length);
            List<byte[]> header = [NetlinkWire.U32(layout.Type, type)];
            if (layout.Generation is { } g) header.Add(NetlinkWire.U32(g, device.Generation));
            if (layout.Length is { } l) header.Add(NetlinkWire.U32(l, (uint)blob.Length));
            messages.Enqueue(NetlinkWire.Genl(layout.Id, FlagMulti, request.Seq, 1, [.. header, NetlinkWire.Attr(layout.Val, blob.AsSpan(0, first))]));
            for (var at = first; at < blob.Length; at += ChunkSize)
                messages.Enqueue(NetlinkWire.Genl(layout.Id, FlagMulti, request.Seq, 1,
                    NetlinkWire.Attr(layout.Val, blob.AsSpan(at, Math.Min(ChunkSize, blob.Length - at)))));
        }
        _dump = new Dump(device, request.Seq, device.Generation, messages);
    }

    private void Validate(Layout layout, NetlinkWire.Request request)
    {
        if (Target(layout, request, needMask: false) is not { } device) return;
        _datagrams.Enqueue(request.U32(layout.Generation!.Value) == device.Generation
            ? NetlinkWire.Error(request, 0)
            : NetlinkWire.Error(request, Errno.EAGAIN, "evidence generation is stale"));
    }
}
