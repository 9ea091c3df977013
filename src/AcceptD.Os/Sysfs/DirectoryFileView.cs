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

    public string? Read(string path)
    {
        try
        {
            var text = File.ReadAllText(HostPath(path));
            return text.EndsWith('\n') ? text[..^1] : text;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    public string? ReadLink(string path)
    {
        try
        {
            var target = new FileInfo(HostPath(path)).LinkTarget;
            if (target is null) return null;
            var parent = path[..path.LastIndexOf('/')];
            return Normalise(target.StartsWith('/') ? StripRoot(target) : parent + "/" + target);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
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
