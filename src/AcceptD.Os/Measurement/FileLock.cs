using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace AcceptD.Os.Measurement;

/// <summary>
/// flock(2) on an open file: the attestation-agent serialises writers of its event log this way, so two processes
/// keeping one log (or the daemon and a second instance) never interleave entries.
/// </summary>
internal static partial class FileLock
{
    private const int LockExclusive = 2, Unlock = 8;

    /// <exception cref="IOException">The lock could not be taken (errno in the message).</exception>
    public static IDisposable Exclusive(SafeFileHandle file)
    {
        if (Flock((int)file.DangerousGetHandle(), LockExclusive) != 0)
            throw new IOException($"flock: errno {Marshal.GetLastPInvokeError()}");
        return new Releaser(file);
    }

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int fd, int operation);

    private sealed class Releaser(SafeFileHandle file) : IDisposable
    {
        public void Dispose() => _ = Flock((int)file.DangerousGetHandle(), Unlock);
    }
}
