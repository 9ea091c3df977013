using System.Runtime.InteropServices;
using System.Text;

namespace AcceptD.Os.Sysfs;

/// <summary>
/// Writes sysfs attributes with open(2)/write(2) so that the kernel's errno reaches the caller unchanged
/// (.NET's FileStream folds errno into generic IOExceptions). One write per open, as sysfs expects.
/// </summary>
public sealed class LiveSysfsWriter(string root = "/") : ISysfsWriter
{
    private readonly string _root = root.TrimEnd('/');

    public void Write(string path, string value)
    {
        var full = _root + path;
        var fd = Libc.Open(full, Libc.O_WRONLY | Libc.O_CLOEXEC);
        if (fd < 0) throw Fail(path);
        try
        {
            var bytes = Encoding.UTF8.GetBytes(value);
            nint written;
            unsafe
            {
                fixed (byte* p = bytes) written = Libc.Write(fd, p, bytes.Length);
            }
            if (written < 0) throw Fail(path);
        }
        finally
        {
            _ = Libc.Close(fd);
        }
    }

    private static SysfsWriteException Fail(string path)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new SysfsWriteException(path, errno, Marshal.GetPInvokeErrorMessage(errno));
    }
}
