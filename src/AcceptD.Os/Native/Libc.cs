using System.Runtime.InteropServices;

namespace AcceptD.Os.Native;

/// <summary>
/// The few libc calls AcceptD makes directly, where .NET's wrappers would hide the kernel's errno or cost
/// syscalls that sysfs does not need (FileStream adds fstat and flock to every open).
/// </summary>
internal static partial class Libc
{
    public const int O_RDONLY = 0, O_WRONLY = 1, O_CLOEXEC = 0x80000;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static unsafe partial nint Read(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static unsafe partial nint Write(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "readlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static unsafe partial nint ReadLink(string path, byte* buffer, nint size);

    [LibraryImport("libc", EntryPoint = "close")]
    public static partial int Close(int fd);
}
