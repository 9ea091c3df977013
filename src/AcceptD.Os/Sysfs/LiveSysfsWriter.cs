using System.Runtime.InteropServices;
using System.Text;

namespace AcceptD.Os.Sysfs;

/// <summary>
/// Writes sysfs attributes with open(2)/write(2) so that the kernel's errno reaches the caller unchanged
/// (.NET's FileStream folds errno into generic IOExceptions). One write per open, as sysfs expects.
/// </summary>
public sealed partial class LiveSysfsWriter(string root = "/") : ISysfsWriter
{
    private const int O_WRONLY = 1, O_CLOEXEC = 0x80000;
    private readonly string _root = root.TrimEnd('/');

    public void Write(string path, string value)
    {
        var full = _root + path;
        var fd = Open(full, O_WRONLY | O_CLOEXEC);
        if (fd < 0) throw Fail(path);
        try
        {
            var bytes = Encoding.UTF8.GetBytes(value);
            nint written;
            unsafe
            {
                fixed (byte* p = bytes) written = WriteFd(fd, p, bytes.Length);
            }
            if (written < 0) throw Fail(path);
        }
        finally
        {
            _ = Close(fd);
        }
    }

    private static SysfsWriteException Fail(string path)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new SysfsWriteException(path, errno, Marshal.GetPInvokeErrorMessage(errno));
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint WriteFd(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
