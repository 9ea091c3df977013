using System.Collections.Immutable;

namespace AcceptD.Core.Tdisp;

/// <summary>How a read of evidence ended: the evidence, or an errno (positive) with the kernel's or our own message.</summary>
public sealed record EvidenceResult(DeviceEvidence? Evidence, int Errno, string Message)
{
    public const int EAGAIN = 11, EPROTO = 71;

    public bool Ok => Evidence is not null;

    public static EvidenceResult Fail(int errno, string message) => new(null, errno, message);
}

/// <summary>
/// Reassembles an evidence dump of <paramref name="family"/>: per type, a first message with TYPE (device-evidence:
/// also GENERATION and LENGTH) and a VAL chunk, then messages with only VAL chunks until LENGTH bytes arrived or, in a
/// family without LENGTH, until the next TYPE; NLMSG_DONE ends it (its error, e.g. EAGAIN when the evidence changed
/// mid-read, fails it). Anything inconsistent is EPROTO with a reason; never throws. A family without GENERATION
/// yields generation 0.
/// </summary>
public sealed class EvidenceAssembler(EvidenceFamily family)
{
    private readonly SortedDictionary<EvidenceType, ImmutableArray<byte>> _done = [];
    private List<byte>? _open;
    private EvidenceType _openType;
    private uint _openLength;
    private uint? _generation;

    /// <summary>Set once the dump has ended.</summary>
    public EvidenceResult? Result { get; private set; }

    public void Feed(NetlinkMessage message)
    {
        if (Result is not null) return;
        Result = message switch
        {
            NetlinkStatus { Errno: not 0 } s => EvidenceResult.Fail(s.Errno, s.ExtAck ?? "evidence read failed"),
            NetlinkStatus { IsDone: true } => Finish(),
            NetlinkStatus => null,
            GenlMessage g => Add(g),
            _ => null,
        };
    }

    private EvidenceResult? Add(GenlMessage message)
    {
        var val = message.Find(family.AttrVal)?.Value ?? [];
        if (message.Find(family.AttrType) is { } typeAttr)
        {
            if (Close() is { } error) return error;
            var generation = family.AttrGeneration is { } g ? message.Find(g)?.U32 : 0;
            var length = family.AttrLength is { } l ? message.Find(l)?.U32 : EvidenceFamily.MaxLength;
            if (typeAttr.U32 is not { } type || type > (uint)EvidenceType.Report || generation is null || length is null)
                return Protocol("object header without a valid TYPE, GENERATION and LENGTH");
            if (length > EvidenceFamily.MaxLength) return Protocol($"object {(EvidenceType)type} length {length} exceeds 16 MiB");
            if (_done.ContainsKey((EvidenceType)type)) return Protocol($"object {(EvidenceType)type} sent twice");
            if (_generation is { } seen && seen != generation)
                return EvidenceResult.Fail(EvidenceResult.EAGAIN, $"generation changed from {seen} to {generation} between objects");
            _generation = generation;
            (_open, _openType, _openLength) = (new List<byte>(Math.Min((int)length.Value, 1 << 16)), (EvidenceType)type, length.Value);
        }
        else if (_open is null)
        {
            return Protocol("VAL chunk outside an object");
        }
        if (_open.Count + val.Length > _openLength)
            return Protocol($"object {_openType} exceeds its LENGTH {_openLength}");
        _open.AddRange(val);
        return null;
    }

    private EvidenceResult? Close()
    {
        if (_open is null) return null;
        if (family.AttrLength is not null && _open.Count != _openLength) return Protocol($"object {_openType} ended after {_open.Count} of {_openLength} bytes");
        _done[_openType] = [.. _open];
        _open = null;
        return null;
    }

    private EvidenceResult Finish()
    {
        if (Close() is { } error) return error;
        if (_generation is not { } generation) return Protocol("dump ended without any object");
        return new EvidenceResult(new DeviceEvidence(generation, _done.ToImmutableSortedDictionary()), 0, "ok");
    }

    private static EvidenceResult Protocol(string reason) => EvidenceResult.Fail(EvidenceResult.EPROTO, reason);
}
