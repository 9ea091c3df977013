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
