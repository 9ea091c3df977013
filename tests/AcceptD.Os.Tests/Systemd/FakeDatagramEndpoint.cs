using System.Net.Sockets;
using Microsoft.Win32.SafeHandles;
using static AcceptD.Os.Native.LibcSocket;

namespace AcceptD.Os.Tests.Systemd;

/// <summary>A real AF_UNIX datagram socket bound in a temp dir, standing where journald or PID 1's notify socket would.</summary>
internal sealed unsafe class FakeDatagramEndpoint : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("acceptd-sock-").FullName;
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);

    public FakeDatagramEndpoint()
    {
        Path = System.IO.Path.Combine(_directory, "socket");
        _socket.ReceiveBufferSize = 4 << 20;
        _socket.Bind(new UnixDomainSocketEndPoint(Path));
    }

    public string Path { get; }

    public sealed record Datagram(byte[] Data, SafeFileHandle? PassedFile);

    /// <summary>The next datagram with any file descriptor passed in SCM_RIGHTS; fails the test after the timeout.</summary>
    public Datagram Receive(TimeSpan? timeout = null)
    {
        if (!_socket.Poll(timeout ?? TimeSpan.FromSeconds(5), SelectMode.SelectRead))
            throw new TimeoutException($"nothing arrived at {Path}");
        var data = new byte[4 << 20];
        var control = stackalloc byte[OneFdControlSpace];
        fixed (byte* buffer = data)
        {
            var iov = new IoVec { Base = buffer, Length = (nuint)data.Length };
            var message = new MsgHdr { Iov = &iov, IovLength = 1, Control = control, ControlLength = (nuint)OneFdControlSpace };
            var length = RecvMsg((int)_socket.Handle, &message, 0);
            if (length < 0)
                throw new IOException($"recvmsg: {Errno.Message(Errno.Last)}");
            SafeFileHandle? file = null;
            var header = (CmsgHdr*)control;
            if (message.ControlLength >= (nuint)OneFdControlLength && header->Level == SOL_SOCKET && header->Type == SCM_RIGHTS)
                file = new SafeFileHandle(*(int*)(control + sizeof(CmsgHdr)), ownsHandle: true);
            return new Datagram(data[..(int)length], file);
        }
    }

    public bool HasPending(TimeSpan wait) => _socket.Poll(wait, SelectMode.SelectRead);

    public void Dispose()
    {
        _socket.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
