using System.Runtime.InteropServices;

namespace AcceptD.Os.Native;

/// <summary>
/// The libc calls AcceptD makes directly, where .NET's wrappers would hide the kernel's errno or cost
/// syscalls that sysfs does not need (FileStream adds fstat and flock to every open). Sockets are in
/// <see cref="LibcSocket"/>. Every import is source-generated (AOT-clean, no runtime marshalling stubs).
/// </summary>
internal static unsafe partial class Libc
{
    public const int O_RDONLY = 0, O_WRONLY = 1, O_NOCTTY = 0x100, O_NONBLOCK = 0x800, O_CLOEXEC = 0x80000;
    public const int AT_EMPTY_PATH = 0x1000, STATX_TYPE = 1, STATX_SIZE = 0x200, StatxSize = 256, StatxModeOffset = 28, StatxSizeOffset = 40;

    /// <summary>File types in stx_mode: the S_IFMT bits and their values S_IFSOCK, S_IFBLK, S_IFREG, S_IFDIR, S_IFCHR, S_IFIFO.</summary>
    public static class FileType
    {
        public const int Mask = 0xF000, Socket = 0xC000, BlockDevice = 0x6000, Regular = 0x8000, Directory = 0x4000,
            CharacterDevice = 0x2000, Fifo = 0x1000;
    }
    public const short POLLIN = 1;
    public const int EFD_NONBLOCK = 0x800, EFD_CLOEXEC = 0x80000;
    public const uint MFD_CLOEXEC = 1, MFD_ALLOW_SEALING = 2;
    public const int F_ADD_SEALS = 1033, F_GET_SEALS = 1034, F_SEAL_SHRINK = 2, F_SEAL_GROW = 4, F_SEAL_WRITE = 8;
    private const long SYS_finit_module = 313; // x86-64

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "readlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint ReadLink(string path, byte* buffer, nint size);

    /// <summary>statx(2): its layout, unlike struct stat's, is the same on every architecture (stx_mode is a u16 at byte 28).</summary>
    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static unsafe partial int Statx(int dirfd, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "close")]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    public static partial int EventFd(uint initialValue, int flags);

    [LibraryImport("libc", EntryPoint = "memfd_create", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MemfdCreate(string name, uint flags);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(int fd, int command, int argument);

    /// <summary>free(3) for strings libsystemd allocates for us.</summary>
    [LibraryImport("libc", EntryPoint = "free")]
    public static partial void Free(IntPtr pointer);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint GetEuid();

    /// <summary>finit_module(2), which glibc does not wrap.</summary>
    public static long FinitModule(int fd, string parameters, int flags) => Syscall(SYS_finit_module, fd, parameters, flags);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial long Syscall(long number, int fd, string parameters, int flags);
}

/// <summary>struct pollfd.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct PollFd
{
    public int Fd;
    public short Events;
    public short REvents;
}
