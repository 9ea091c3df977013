using System.Runtime.InteropServices;
using System.Text;

namespace AcceptD.Os.Systemd;

/// <summary>
/// libc calls for AF_UNIX datagrams with SCM_RIGHTS and sealed memfds; .NET's Socket cannot pass file descriptors.
/// Layouts are those of LP64 Linux (x86-64, arm64).
/// </summary>
internal static unsafe partial class UnixDatagramNative
{
    public const int AF_UNIX = 1;
    public const int SOCK_DGRAM = 2;
    public const int SOCK_CLOEXEC = 0x80000;
    public const int SOL_SOCKET = 1;
    public const int SCM_RIGHTS = 1;
    public const int MSG_NOSIGNAL = 0x4000;
    public const int EMSGSIZE = 90;
    public const int ENOBUFS = 105;
    public const uint MFD_CLOEXEC = 1, MFD_ALLOW_SEALING = 2;
    public const int F_ADD_SEALS = 1033, F_GET_SEALS = 1034;
    public const int F_SEAL_SHRINK = 2, F_SEAL_GROW = 4, F_SEAL_WRITE = 8;
    private const int SunPathLength = 108;

    [StructLayout(LayoutKind.Sequential)]
    public struct SockaddrUn
    {
        public ushort Family;
        public fixed byte Path[SunPathLength];
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct IoVec
    {
        public void* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct MsgHdr
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
    public struct CmsgHdr
    {
        public nuint Length;
        public int Level;
        public int Type;
    }

    /// <summary>CMSG_SPACE(sizeof(int)) and CMSG_LEN(sizeof(int)) for one descriptor.</summary>
    public static readonly int OneFdControlSpace = sizeof(CmsgHdr) + 8;
    public static readonly int OneFdControlLength = sizeof(CmsgHdr) + sizeof(int);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint sendto(int fd, void* buf, nuint len, int flags, SockaddrUn* addr, uint addrlen);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint sendmsg(int fd, MsgHdr* msg, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint recvmsg(int fd, MsgHdr* msg, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int bind(int fd, SockaddrUn* addr, uint addrlen);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int connect(int fd, SockaddrUn* addr, uint addrlen);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int memfd_create(string name, uint flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int fcntl(int fd, int cmd, int arg);

    /// <summary>A sockaddr_un for a filesystem path, or an abstract name when the path starts with '@'; returns its length.</summary>
    public static uint MakeAddress(string path, out SockaddrUn address)
    {
        var bytes = Encoding.UTF8.GetBytes(path);
        if (bytes.Length == 0 || bytes.Length >= SunPathLength)
            throw new ArgumentException($"'{path}' is not a usable AF_UNIX socket path (1 to {SunPathLength - 1} bytes).", nameof(path));
        if (bytes[0] == (byte)'@')
            bytes[0] = 0;
        address = new SockaddrUn { Family = AF_UNIX };
        fixed (byte* p = address.Path)
            bytes.CopyTo(new Span<byte>(p, SunPathLength));
        // Filesystem paths include their NUL terminator; abstract names are exactly as long as given.
        return (uint)(sizeof(ushort) + bytes.Length + (bytes[0] == 0 ? 0 : 1));
    }

    public static IOException Error(string what, int errno) =>
        new($"{what}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})") { HResult = errno };
}
