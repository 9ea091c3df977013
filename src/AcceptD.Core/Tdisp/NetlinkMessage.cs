using System.Collections.Immutable;

namespace AcceptD.Core.Tdisp;

/// <summary>One message of a netlink datagram, decoded.</summary>
public abstract record NetlinkMessage(ushort Type, ushort Flags, uint Seq);

/// <summary>A generic netlink message: genlmsghdr command and version, then attributes.</summary>
public sealed record GenlMessage(ushort Type, ushort Flags, uint Seq, byte Command, byte Version, ImmutableArray<NlAttribute> Attributes)
    : NetlinkMessage(Type, Flags, Seq)
{
    public NlAttribute? Find(ushort type) => Attributes.FirstOrDefault(a => a.Type == type);
}

/// <summary>
/// NLMSG_ERROR (an ack when Errno is 0) or NLMSG_DONE (end of a dump; a non-zero Errno means the dump failed).
/// Errno is positive (the kernel sends it negated); ExtAck is the kernel's extended-ack text when given.
/// </summary>
public sealed record NetlinkStatus(ushort Type, ushort Flags, uint Seq, int Errno, string? ExtAck)
    : NetlinkMessage(Type, Flags, Seq)
{
    public bool IsDone => Type == NetlinkProtocol.NlmsgDone;
}
