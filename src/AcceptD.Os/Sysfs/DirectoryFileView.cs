using System.Text;
using AcceptD.Core.Devices;
using AcceptD.Os.Files;

namespace AcceptD.Os.Sysfs;

/// <summary>
/// The live host's files under a root ("/" normally, a test tree otherwise). Read-only.
/// Links are resolved one hop at a time relative to the root, so a test tree's links stay inside it.
/// </summary>
/// <param name="otherFileLimit">The cap for files outside /sys and /proc (module indexes, modprobe.d; policy files for the policy's view).</param>
/// <param name="strictUtf8">Invalid UTF-8 makes a file unreadable (policy files) rather than decoded with U+FFFD (sysfs).</param>
public sealed class DirectoryFileView(string root = "/", int otherFileLimit = BoundedFile.ModuleFileLimit, bool strictUtf8 = false) : IFileView
{
    private readonly string _root = Path.GetFullPath(root).TrimEnd('/');

    public string Root => _root.Length == 0 ? "/" : _root;

    public string HostPath(string path) => _root + path;

    public IReadOnlyList<string> List(string path)
    {
        try
        {
            var dir = new DirectoryInfo(HostPath(path));
            return dir.Exists ? dir.EnumerateFileSystemInfos().Select(e => e.Name).ToArray() : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>
    /// Through <see cref="BoundedFile"/> (open/read/close straight through libc: FileStream's fstat and flock on each
    /// of a device's dozen attribute reads would triple the syscalls of a coldplug, see docs/benchmarks.md), capped
    /// per kind: a sysfs attribute at one page, /proc files and module indexes at their own limits.
    /// </summary>
    public string? Read(string path) => ReadText(path).Text;

    /// <summary>Capped like any file outside /sys and /proc (module indexes): sysfs has no binary files AcceptD reads.</summary>
    public byte[]? ReadBytes(string path) => BoundedFile.ReadBytes(HostPath(path), otherFileLimit).Bytes;

    /// <summary>Why <see cref="Read"/> gave null for a file that exists (not a regular file, too large, not UTF-8).</summary>
    public string? Problem(string path) => ReadText(path).Error;

    private FileText ReadText(string path) => BoundedFile.Read(HostPath(path), LimitFor(path), strictUtf8);

    private int LimitFor(string path) =>
        path.StartsWith("/sys/", StringComparison.Ordinal) ? BoundedFile.SysfsAttributeLimit
        : path.StartsWith("/proc/", StringComparison.Ordinal) ? BoundedFile.CommandLineLimit
        : otherFileLimit;

    public unsafe string? ReadLink(string path)
    {
        Span<byte> buffer = stackalloc byte[4096]; // PATH_MAX
        nint n;
        fixed (byte* p = buffer) n = Libc.ReadLink(HostPath(path), p, buffer.Length);
        if (n <= 0 || n == buffer.Length) return null; // not a link, missing, or too long to be a sysfs link
        var target = Encoding.UTF8.GetString(buffer[..(int)n]);
        var parent = path[..path.LastIndexOf('/')];
        return Normalise(target.StartsWith('/') ? StripRoot(target) : parent + "/" + target);
    }

    public bool Exists(string path) => Path.Exists(HostPath(path));

    private string StripRoot(string absolute) =>
        _root.Length > 0 && absolute.StartsWith(_root + "/", StringComparison.Ordinal) ? absolute[_root.Length..] : absolute;

    /// <summary>Folds "." and ".." segments of an absolute path.</summary>
    public static string Normalise(string path)
    {
        var parts = new List<string>();
        foreach (var seg in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (seg == ".") continue;
            if (seg == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
            parts.Add(seg);
        }
        return "/" + string.Join('/', parts);
    }
}
