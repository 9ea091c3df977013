using static AcceptD.Os.Native.LibcSocket;

namespace AcceptD.Os.Tsm;

/// <summary>
/// An AF_NETLINK/NETLINK_GENERIC socket bound to a kernel-assigned port, with extended acks on and a receive timeout
/// (a dump that stalls must not hang acceptance). Requests go to the kernel (port 0).
/// </summary>
public sealed unsafe class GenlSocket : IGenlTransport, IDisposable
{
    private const int NETLINK_GENERIC = 16, NETLINK_EXT_ACK = 11;
    private const int BufferSize = 256 * 1024;
    private readonly int _fd;
    private readonly byte[] _buffer = new byte[BufferSize];

    public GenlSocket(TimeSpan receiveTimeout)
    {
        _fd = Socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
        if (_fd < 0) throw Fail("socket(AF_NETLINK, NETLINK_GENERIC)");
        try
        {
            var address = new SockaddrNl { Family = AF_NETLINK };
            if (Bind(_fd, &address, (uint)sizeof(SockaddrNl)) < 0) throw Fail("bind(AF_NETLINK)");
            var on = 1;
            _ = SetSockOpt(_fd, SOL_NETLINK, NETLINK_EXT_ACK, &on, sizeof(int));
            var timeout = new TimeVal { Seconds = (long)receiveTimeout.TotalSeconds, Microseconds = receiveTimeout.Milliseconds * 1000L };
            if (SetSockOpt(_fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, (uint)sizeof(TimeVal)) < 0) throw Fail("setsockopt(SO_RCVTIMEO)");
        }
        catch
        {
            _ = Libc.Close(_fd);
            throw;
        }
    }

    public void Send(ReadOnlySpan<byte> request)
    {
        fixed (byte* data = request)
            if (LibcSocket.Send(_fd, data, (nuint)request.Length, 0) < 0) throw Fail("send(netlink)");
    }

    public byte[] Receive()
    {
        nint n;
        fixed (byte* data = _buffer)
            n = Recv(_fd, data, (nuint)_buffer.Length, MSG_TRUNC);
        if (n < 0) throw Fail("recv(netlink)");
        if (n > _buffer.Length) throw new GenlTransportException(90, $"netlink datagram of {n} bytes exceeds the {BufferSize}-byte buffer");
        return _buffer.AsSpan(0, (int)n).ToArray();
    }

    public void Dispose() => _ = Libc.Close(_fd);

    private static GenlTransportException Fail(string what)
    {
        var errno = Errno.Last;
        return new GenlTransportException(errno, $"{what}: {Errno.Message(errno)}");
    }
}
