using System.Text;
using AcceptD.Core.Devices;

namespace AcceptD.Os.Sysfs;

/// <summary>
/// The live host's files under a root ("/" normally, a test tree otherwise). Read-only.
/// Links are resolved one hop at a time relative to the root, so a test tree's links stay inside it.
/// </summary>
public sealed class DirectoryFileView(string root = "/") : IFileView
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
    /// open/read/close straight through libc: a device costs a dozen attribute reads, and FileStream's fstat and
    /// flock on each would triple the syscalls of a coldplug (see docs/benchmarks.md).
    /// </summary>
    public unsafe string? Read(string path)
    {
        var fd = Libc.Open(HostPath(path), Libc.O_RDONLY | Libc.O_CLOEXEC);
        if (fd < 0) return null;
        try
        {
            Span<byte> first = stackalloc byte[4096]; // a sysfs attribute is at most one page
            var buffer = first;
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    var bigger = new byte[buffer.Length * 2];
                    buffer.CopyTo(bigger);
                    buffer = bigger;
                }
                nint n;
                fixed (byte* p = buffer) n = Libc.Read(fd, p + length, buffer.Length - length);
                if (n < 0) return null;
                if (n == 0) break;
                length += (int)n;
            }
            var text = buffer[..length];
            if (text.EndsWith("\n"u8)) text = text[..^1];
            return Encoding.UTF8.GetString(text);
        }
        finally
        {
            _ = Libc.Close(fd);
        }
    }

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
