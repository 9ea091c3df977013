using System.Runtime.InteropServices;

namespace AcceptD.Os.Native;

/// <summary>The errno values AcceptD reacts to (Linux x86-64/arm64 numbering), and their text.</summary>
public static class Errno
{
    public const int EPERM = 1, ENOENT = 2, EINTR = 4, ENXIO = 6, EAGAIN = 11, ENOMEM = 12, EACCES = 13,
        EBUSY = 16, EEXIST = 17, ENODEV = 19, ENOTDIR = 20, EINVAL = 22, ENOSPC = 28, EMSGSIZE = 90, EOPNOTSUPP = 95, ENOBUFS = 105;

    /// <summary>The errno of the last import declared with SetLastError.</summary>
    public static int Last => Marshal.GetLastPInvokeError();

    public static string Message(int errno) => Marshal.GetPInvokeErrorMessage(errno);

    /// <summary>Text for the negative errno values libsystemd returns.</summary>
    public static string Describe(int negativeErrno) => $"{Message(-negativeErrno)} (errno {-negativeErrno})";
}
