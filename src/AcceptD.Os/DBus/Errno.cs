using System.Runtime.InteropServices;

namespace AcceptD.Os.DBus;

/// <summary>Text for the negative errno values libsystemd returns.</summary>
internal static class Errno
{
    public const int EINTR = 4, EACCES = 13, EINVAL = 22;

    public static string Describe(int negativeErrno) => $"{Marshal.GetPInvokeErrorMessage(-negativeErrno)} (errno {-negativeErrno})";
}
