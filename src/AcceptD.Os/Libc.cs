using System.Runtime.InteropServices;

namespace AcceptD.Os;

/// <summary>
/// The few libc calls AcceptD makes directly, where .NET's wrappers would hide the kernel's errno or cost
/// syscalls that sysfs does not need (FileStream adds fstat and flock to every open).
/// </summary>
internal static partial class Libc
{
    public const int O_RDONLY = 0, O_WRONLY = 1, O_NOCTTY = 0x100, O_NONBLOCK = 0x800, O_CLOEXEC = 0x80000;
    public const int AT_EMPTY_PATH = 0x1000, STATX_TYPE = 1, StatxSize = 256, StatxModeOffset = 28;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static unsafe partial nint Read(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static unsafe partial nint Write(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "readlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static unsafe partial nint ReadLink(string path, byte* buffer, nint size);

    /// <summary>statx(2): its layout, unlike struct stat's, is the same on every architecture (stx_mode is a u16 at byte 28).</summary>
    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static unsafe partial int Statx(int dirfd, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "close")]
    public static partial int Close(int fd);
}
