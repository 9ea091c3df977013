namespace AcceptD.Core.Devices;

/// <summary>
/// A read-only view of the host files AcceptD looks at (/sys, /lib/modules, /proc/cmdline, modprobe.d):
/// the live system under a root, or a captured snapshot. Paths are absolute, e.g. "/sys/bus/pci/devices".
/// Implementations never follow links recursively: sysfs has loops.
/// </summary>
public interface IFileView
{
    /// <summary>Names of the entries of a directory; empty when it is missing or unreadable.</summary>
    IReadOnlyList<string> List(string path);

    /// <summary>Text of a file with one trailing newline removed; null when missing or unreadable.</summary>
    string? Read(string path);

    /// <summary>
    /// The bytes of a binary file (kmod's .bin indexes), whole and as they are; null when missing, unreadable or
    /// larger than the view's cap for such files. A view that cannot give bytes gives null, and readers use the text
    /// file instead.
    /// </summary>
    byte[]? ReadBytes(string path) => null;

    /// <summary>Why <see cref="Read"/> or <see cref="ReadBytes"/> gives null for a path that exists (e.g. "x: is a FIFO, not a regular file"); null when no reason is known.</summary>
    string? Problem(string path) => null;

    /// <summary>Absolute, normalised target of a symbolic link; null when the path is not a link.</summary>
    string? ReadLink(string path);

    bool Exists(string path);
}
