using System.Runtime.InteropServices;

namespace AcceptD.Os.Tsm;

/// <summary>
/// An AF_NETLINK/NETLINK_GENERIC socket bound to a kernel-assigned port, with extended acks on and a receive timeout
/// (a dump that stalls must not hang acceptance). Requests go to the kernel (port 0).
/// </summary>
public sealed partial class GenlSocket : IGenlTransport, IDisposable
{
    private const int AF_NETLINK = 16, SOCK_RAW = 3, SOCK_CLOEXEC = 0x80000, NETLINK_GENERIC = 16;
    private const int SOL_SOCKET = 1, SO_RCVTIMEO = 20, SOL_NETLINK = 270, NETLINK_EXT_ACK = 11, MSG_TRUNC = 0x20;
    private const int BufferSize = 256 * 1024;
    private readonly int _fd;
    private readonly byte[] _buffer = new byte[BufferSize];

    public GenlSocket(TimeSpan receiveTimeout)
    {
        _fd = Socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
        if (_fd < 0) throw Fail("socket(AF_NETLINK, NETLINK_GENERIC)");
        try
        {
            Span<byte> address = stackalloc byte[12];
            address.Clear();
            address[0] = AF_NETLINK;
            if (Bind(_fd, address, address.Length) < 0) throw Fail("bind(AF_NETLINK)");
            var on = 1;
            _ = SetSockOpt(_fd, SOL_NETLINK, NETLINK_EXT_ACK, ref on, sizeof(int));
            var timeout = new TimeVal { Seconds = (long)receiveTimeout.TotalSeconds, Microseconds = receiveTimeout.Milliseconds * 1000L };
            if (SetSockOptTime(_fd, SOL_SOCKET, SO_RCVTIMEO, ref timeout, Marshal.SizeOf<TimeVal>()) < 0) throw Fail("setsockopt(SO_RCVTIMEO)");
        }
        catch
        {
            _ = Libc.Close(_fd);
            throw;
        }
    }

    public void Send(ReadOnlySpan<byte> request)
    {
        if (SendFd(_fd, request, request.Length, 0) < 0) throw Fail("send(netlink)");
    }

    public byte[] Receive()
    {
        var n = Recv(_fd, _buffer, _buffer.Length, MSG_TRUNC);
        if (n < 0) throw Fail("recv(netlink)");
        if (n > _buffer.Length) throw new GenlTransportException(90, $"netlink datagram of {n} bytes exceeds the {BufferSize}-byte buffer");
        return _buffer.AsSpan(0, (int)n).ToArray();
    }

    public void Dispose() => _ = Libc.Close(_fd);

    private static GenlTransportException Fail(string what)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new GenlTransportException(errno, $"{what}: {Marshal.GetPInvokeErrorMessage(errno)}");
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeVal
    {
        public long Seconds;
        public long Microseconds;
    }

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
    private static partial int Bind(int fd, ReadOnlySpan<byte> address, int length);

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    private static partial int SetSockOpt(int fd, int level, int name, ref int value, int length);

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    private static partial int SetSockOptTime(int fd, int level, int name, ref TimeVal value, int length);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    private static partial nint SendFd(int fd, ReadOnlySpan<byte> buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static partial nint Recv(int fd, Span<byte> buffer, nint length, int flags);
}
