using System.Runtime.InteropServices;

namespace AcceptD.Os.DBus;

/// <summary>Text for the negative errno values libsystemd returns.</summary>
internal static class Errno
{
    public const int ENOENT = 2, EINTR = 4, EAGAIN = 11, ENOMEM = 12, EACCES = 13, EINVAL = 22, ENOTCONN = 107, ECONNRESET = 104,
        ECONNREFUSED = 111, ETIMEDOUT = 110, ENXIO = 6, EHOSTDOWN = 112;

    public static string Describe(int negativeErrno) => $"{Marshal.GetPInvokeErrorMessage(-negativeErrno)} (errno {-negativeErrno})";
}
