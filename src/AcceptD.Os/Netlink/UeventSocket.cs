using System.Runtime.InteropServices;
using AcceptD.Core.Uevents;
using AcceptD.Os.State;
using static AcceptD.Os.Native.LibcSocket;

namespace AcceptD.Os.Netlink;

/// <summary>What one receive gave: an event, a dropped message (with why), a lost-events overflow, or nothing yet.</summary>
public enum ReceiveKind { Event, Dropped, Overflow, Timeout }

/// <param name="Drop">For a dropped message, the reason it is counted under.</param>
public readonly record struct ReceiveResult(ReceiveKind Kind, Uevent? Event = null, string? Why = null, UeventCounter? Drop = null);

/// <summary>
/// The kernel uevent socket (NETLINK_KOBJECT_UEVENT, group 1). Transport checks as udev does them:
/// the sender must be the kernel (port 0) and the credentials uid 0; anything else is dropped and reported.
/// .NET's Socket has no AF_NETLINK, hence P/Invoke.
/// </summary>
public sealed unsafe class UeventSocket : IDisposable
{
    private const int NETLINK_KOBJECT_UEVENT = 15;
    private const int BufferSize = 64 * 1024;

    private readonly int _fd;
    private readonly byte[] _buffer = new byte[BufferSize];
    private readonly byte[] _control = new byte[64];

    /// <summary>Opens and binds the socket; receiveBuffer is what we ask for (udevd asks 128 MiB).</summary>
    public UeventSocket(int receiveBuffer)
    {
        _fd = Socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);
        if (_fd < 0) throw Error("socket(AF_NETLINK)");
        var one = 1;
        SetSockOpt(_fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(int));
        // SO_RCVBUFFORCE ignores rmem_max but needs CAP_NET_ADMIN; fall back to the capped SO_RCVBUF.
        if (SetSockOpt(_fd, SOL_SOCKET, SO_RCVBUFFORCE, &receiveBuffer, sizeof(int)) < 0)
            SetSockOpt(_fd, SOL_SOCKET, SO_RCVBUF, &receiveBuffer, sizeof(int));
        var addr = new SockaddrNl { Family = AF_NETLINK, Pid = 0, Groups = 1 };
        if (Bind(_fd, &addr, (uint)sizeof(SockaddrNl)) < 0)
        {
            var e = Error("bind(NETLINK_KOBJECT_UEVENT)");
            _ = Libc.Close(_fd);
            throw e;
        }
    }

    /// <summary>
    /// Discards every message already queued, unread. After an overflow the daemon rescans sysfs anyway, and the
    /// backlog (up to the whole receive buffer: tens of thousands of messages) would only delay that rescan; events
    /// that arrive later are read as usual, and the first of them shows the SEQNUM gap. Returns how many were dropped.
    /// </summary>
    public int DiscardQueued()
    {
        var discarded = 0;
        fixed (byte* data = _buffer)
        {
            var iov = new IoVec { Base = data, Length = (nuint)_buffer.Length };
            var msg = new MsgHdr { Iov = &iov, IovLength = 1 };
            while (discarded < MaxDiscarded)
            {
                if (RecvMsg(_fd, &msg, MSG_DONTWAIT) >= 0) discarded++;
                else if (Errno.Last is not (Errno.ENOBUFS or Errno.EINTR)) break; // EAGAIN: the queue is empty
            }
        }
        return discarded;
    }

    /// <summary>More than a full 256 MiB buffer of the smallest messages: a sender that keeps up with the drain is not waited out.</summary>
    private const int MaxDiscarded = 1 << 20;

    /// <summary>Waits up to timeoutMs for one message and judges its transport.</summary>
    public ReceiveResult Receive(int timeoutMs)
    {
        var pfd = new PollFd { Fd = _fd, Events = Libc.POLLIN };
        var ready = Libc.Poll(&pfd, 1, timeoutMs);
        if (ready == 0) return new ReceiveResult(ReceiveKind.Timeout);
        if (ready < 0)
        {
            if (Errno.Last == Errno.EINTR) return new ReceiveResult(ReceiveKind.Timeout);
            throw Error("poll");
        }

        SockaddrNl sender;
        nint received;
        MsgHdr msg;
        fixed (byte* data = _buffer)
        fixed (byte* control = _control)
        {
            var iov = new IoVec { Base = data, Length = (nuint)_buffer.Length };
            msg = new MsgHdr
            {
                Name = &sender,
                NameLength = (uint)sizeof(SockaddrNl),
                Iov = &iov,
                IovLength = 1,
                Control = control,
                ControlLength = (nuint)_control.Length,
            };
            received = RecvMsg(_fd, &msg, 0);
        }
        if (received < 0)
        {
            var errno = Errno.Last;
            if (errno == Errno.ENOBUFS) return new ReceiveResult(ReceiveKind.Overflow, Why: "receive buffer overrun (ENOBUFS): events were lost");
            if (errno is Errno.EAGAIN or Errno.EINTR) return new ReceiveResult(ReceiveKind.Timeout);
            throw Error("recvmsg");
        }
        if ((msg.Flags & (MSG_TRUNC | MSG_CTRUNC)) != 0) return new ReceiveResult(ReceiveKind.Dropped, Why: "truncated message", Drop: UeventCounter.Truncated);
        if (sender.Pid != 0) return new ReceiveResult(ReceiveKind.Dropped, Why: $"sender port {sender.Pid} is not the kernel", Drop: UeventCounter.SenderNotKernel);
        if (FindUid(msg) is not { } uid) return new ReceiveResult(ReceiveKind.Dropped, Why: "no SCM_CREDENTIALS", Drop: UeventCounter.NoCredentials);
        if (uid != 0) return new ReceiveResult(ReceiveKind.Dropped, Why: $"sender uid {uid} is not root", Drop: UeventCounter.SenderNotRoot);

        var parsed = UeventParser.Parse(_buffer.AsSpan(0, (int)received));
        return parsed.Event is { } ev
            ? new ReceiveResult(ReceiveKind.Event, ev)
            : new ReceiveResult(ReceiveKind.Dropped, Why: "malformed uevent: " + parsed.Error, Drop: UeventCounter.Malformed);
    }

    private uint? FindUid(in MsgHdr msg)
    {
        var offset = 0;
        var length = (int)msg.ControlLength;
        while (offset + sizeof(CmsgHdr) <= length)
        {
            var hdr = MemoryMarshal.Read<CmsgHdr>(_control.AsSpan(offset));
            if (hdr.Length < (nuint)sizeof(CmsgHdr)) break;
            if (hdr.Level == SOL_SOCKET && hdr.Type == SCM_CREDENTIALS && offset + sizeof(CmsgHdr) + 12 <= length)
                return MemoryMarshal.Read<uint>(_control.AsSpan(offset + sizeof(CmsgHdr) + 4)); // struct ucred { pid, uid, gid }
            offset += (int)((hdr.Length + 7) & ~(nuint)7);
        }
        return null;
    }

    public void Dispose() => _ = Libc.Close(_fd);

    private static IOException Error(string what)
    {
        var errno = Errno.Last;
        return new IOException($"{what} failed: {Errno.Message(errno)} (errno {errno})");
    }
}
