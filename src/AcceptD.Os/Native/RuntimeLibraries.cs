using System.Runtime.InteropServices;

namespace AcceptD.Os.Native;

/// <summary>A library loaded with dlopen (invisible to ldd and to the initrd generators), what it is for, and the
/// sonames that would do.</summary>
public sealed record RuntimeLibrary(string Purpose, IReadOnlyList<string> Sonames);

/// <summary>
/// The libraries the daemon dlopens at run time. They are checked before the daemon touches anything: .NET's
/// OpenSSL shim aborts the process ("No usable version of libssl was found") the first time it hashes, which
/// would be in the middle of coldplug, with autoprobe off and modules already loaded.
/// </summary>
public static class RuntimeLibraries
{
    public static readonly IReadOnlyList<RuntimeLibrary> Required =
    [
        new("sd-bus, for the D-Bus interface", [LibSdBus.Library]),
        // The versions .NET's OpenSSL shim accepts; libssl pulls in the libcrypto it was built with.
        new("OpenSSL, for SHA-256/384 digests and certificate signatures", ["libssl.so.3", "libssl.so.1.1"]),
    ];

    /// <summary>The required libraries none of whose sonames <paramref name="canLoad"/> loads.</summary>
    public static IReadOnlyList<RuntimeLibrary> Missing(Func<string, bool> canLoad) =>
        Required.Where(library => !library.Sonames.Any(canLoad)).ToList();

    /// <summary>dlopen by soname. A library that loads stays loaded: the daemon uses it soon after.</summary>
    public static bool CanLoad(string soname) => NativeLibrary.TryLoad(soname, out _);
}
