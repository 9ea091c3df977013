using System.Runtime.InteropServices;
using System.Text;

namespace AcceptD.Os.Native;

/// <summary>
/// Socket calls for what .NET's Socket cannot do: AF_NETLINK (uevents, generic netlink) and SCM_RIGHTS over
/// AF_UNIX (journald). Layouts are those of LP64 Linux (x86-64, arm64).
/// </summary>
internal static unsafe partial class LibcSocket
{
    public const int AF_UNIX = 1, AF_NETLINK = 16;
    public const int SOCK_DGRAM = 2, SOCK_RAW = 3, SOCK_CLOEXEC = 0x80000;
    public const int SOL_SOCKET = 1, SOL_NETLINK = 270;
    public const int SO_RCVBUF = 8, SO_PASSCRED = 16, SO_RCVTIMEO = 20, SO_RCVBUFFORCE = 33;
    public const int SCM_RIGHTS = 1, SCM_CREDENTIALS = 2;
    public const int MSG_CTRUNC = 0x8, MSG_TRUNC = 0x20, MSG_DONTWAIT = 0x40, MSG_NOSIGNAL = 0x4000;

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    public static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
    public static partial int Bind(int fd, void* address, uint length);

    [LibraryImport("libc", EntryPoint = "connect", SetLastError = true)]
    public static partial int Connect(int fd, void* address, uint length);

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    public static partial int SetSockOpt(int fd, int level, int name, void* value, uint length);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    public static partial nint Send(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport("libc", EntryPoint = "sendto", SetLastError = true)]
    public static partial nint SendTo(int fd, byte* buffer, nuint length, int flags, void* address, uint addressLength);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    public static partial nint Recv(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport("libc", EntryPoint = "sendmsg", SetLastError = true)]
    public static partial nint SendMsg(int fd, MsgHdr* message, int flags);

    [LibraryImport("libc", EntryPoint = "recvmsg", SetLastError = true)]
    public static partial nint RecvMsg(int fd, MsgHdr* message, int flags);

    /// <summary>CMSG_SPACE(sizeof(int)) and CMSG_LEN(sizeof(int)) for one descriptor.</summary>
    public static readonly int OneFdControlSpace = sizeof(CmsgHdr) + 8, OneFdControlLength = sizeof(CmsgHdr) + sizeof(int);
}

[StructLayout(LayoutKind.Sequential)]
internal struct SockaddrNl
{
    public ushort Family;
    public ushort Pad;
    public uint Pid;
    public uint Groups;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SockaddrUn
{
    private const int PathLength = 108;
    public ushort Family;
    public fixed byte Path[PathLength];

    /// <summary>A sockaddr_un for a filesystem path, or an abstract name when the path starts with '@'; returns its length.</summary>
    public static uint Make(string path, out SockaddrUn address)
    {
        var bytes = Encoding.UTF8.GetBytes(path);
        if (bytes.Length == 0 || bytes.Length >= PathLength)
            throw new ArgumentException($"'{path}' is not a usable AF_UNIX socket path (1 to {PathLength - 1} bytes).", nameof(path));
        if (bytes[0] == (byte)'@')
            bytes[0] = 0;
        address = new SockaddrUn { Family = LibcSocket.AF_UNIX };
        fixed (byte* p = address.Path)
            bytes.CopyTo(new Span<byte>(p, PathLength));
        // Filesystem paths include their NUL terminator; abstract names are exactly as long as given.
        return (uint)(sizeof(ushort) + bytes.Length + (bytes[0] == 0 ? 0 : 1));
    }
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct IoVec
{
    public void* Base;
    public nuint Length;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct MsgHdr
{
    public void* Name;
    public uint NameLength;
    public IoVec* Iov;
    public nuint IovLength;
    public void* Control;
    public nuint ControlLength;
    public int Flags;
}

[StructLayout(LayoutKind.Sequential)]
internal struct CmsgHdr
{
    public nuint Length;
    public int Level;
    public int Type;
}

[StructLayout(LayoutKind.Sequential)]
internal struct TimeVal
{
    public long Seconds;
    public long Microseconds;
}
