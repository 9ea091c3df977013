namespace AcceptD.Os.Sysfs;

/// <summary>
/// The one way AcceptD changes the kernel's device state: a single write of a value to a sysfs attribute.
/// Failures carry the kernel's errno (EBUSY, ENODEV, EAGAIN, ...), which callers map to device states.
/// </summary>
public interface ISysfsWriter
{
    /// <exception cref="SysfsWriteException">The kernel refused the write.</exception>
    void Write(string path, string value);
}

public sealed class SysfsWriteException(string path, int errno, string message)
    : IOException($"write to {path} failed: {message} (errno {errno})")
{
    public string SysfsPath { get; } = path;
    public int Errno { get; } = errno;
}

/// <summary>errno values AcceptD reacts to (Linux x86-64/arm64 numbering).</summary>
public static class Errno
{
    public const int EPERM = 1, ENOENT = 2, EINTR = 4, ENXIO = 6, EAGAIN = 11, ENOMEM = 12, EACCES = 13,
        EBUSY = 16, EEXIST = 17, ENODEV = 19, EINVAL = 22, ENOSPC = 28, ENOBUFS = 105, EOPNOTSUPP = 95;
}
