using AcceptD.Core.Devices;
using AcceptD.Os.Sysfs;

namespace AcceptD.Testing;

/// <summary>
/// A small in-memory file tree for tests: files, directories and symbolic links, built fluently:
/// <code>new InMemoryFileView().File("/sys/devices/x/modalias", "pci:v...").Link("/sys/bus/pci/devices/x", "../../../devices/x")</code>
/// Parent directories are created implicitly. Links in the middle of a path are followed, like the kernel does
/// (at most 40 hops); ReadLink reports the final link itself.
/// </summary>
public sealed class InMemoryFileView : IFileView
{
    private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _binaries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _links = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedSet<string>> _dirs = new(StringComparer.Ordinal) { ["/"] = new(StringComparer.Ordinal) };

    /// <summary>Adds or replaces a file; the text is stored as given (Read removes one trailing newline).</summary>
    public InMemoryFileView File(string path, string text)
    {
        path = DirectoryFileView.Normalise(path);
        AddEntry(path);
        _files[path] = text;
        return this;
    }

    /// <summary>Adds or replaces a binary file, which only <see cref="ReadBytes"/> reads (kmod's .bin indexes).</summary>
    public InMemoryFileView Binary(string path, byte[] bytes)
    {
        path = DirectoryFileView.Normalise(path);
        AddEntry(path);
        _binaries[path] = bytes;
        return this;
    }

    public InMemoryFileView Directory(string path)
    {
        path = DirectoryFileView.Normalise(path);
        AddEntry(path);
        _dirs.TryAdd(path, new SortedSet<string>(StringComparer.Ordinal));
        return this;
    }

    /// <summary>Adds a symbolic link; a relative target is resolved against the link's directory.</summary>
    public InMemoryFileView Link(string path, string target)
    {
        path = DirectoryFileView.Normalise(path);
        AddEntry(path);
        _links[path] = target.StartsWith('/') ? DirectoryFileView.Normalise(target) : DirectoryFileView.Normalise(Parent(path) + "/" + target);
        return this;
    }

    public IReadOnlyList<string> List(string path) =>
        Resolve(path) is { } real && _dirs.TryGetValue(real, out var entries) ? entries.ToArray() : [];

    public string? Read(string path)
    {
        if (Resolve(path) is not { } real || !_files.TryGetValue(real, out var text)) return null;
        return text.EndsWith('\n') ? text[..^1] : text;
    }

    public byte[]? ReadBytes(string path) => Resolve(path) is { } real ? _binaries.GetValueOrDefault(real) : null;

    public string? ReadLink(string path) =>
        Resolve(Parent(DirectoryFileView.Normalise(path))) is { } dir && _links.TryGetValue(Join(dir, Name(path)), out var target) ? target : null;

    public bool Exists(string path) =>
        Resolve(path) is { } real && (_files.ContainsKey(real) || _binaries.ContainsKey(real) || _dirs.ContainsKey(real));

    /// <summary>The path with every link followed; null when a link loops or goes too deep.</summary>
    private string? Resolve(string path)
    {
        var pending = new Queue<string>(DirectoryFileView.Normalise(path).Split('/', StringSplitOptions.RemoveEmptyEntries));
        var current = "/";
        for (var hops = 0; pending.TryDequeue(out var segment);)
        {
            var next = Join(current, segment);
            if (!_links.TryGetValue(next, out var target)) { current = next; continue; }
            if (++hops > 40) return null;
            var rest = pending.ToArray();
            pending = new Queue<string>([.. target.Split('/', StringSplitOptions.RemoveEmptyEntries), .. rest]);
            current = "/";
        }
        return current;
    }

    private void AddEntry(string path)
    {
        if (path == "/") return;
        var parent = Parent(path);
        AddEntry(parent);
        _dirs.TryAdd(parent, new SortedSet<string>(StringComparer.Ordinal));
        _dirs[parent].Add(Name(path));
    }

    private static string Join(string dir, string name) => dir == "/" ? "/" + name : dir + "/" + name;

    private static string Parent(string path) => path.LastIndexOf('/') is var i and > 0 ? path[..i] : "/";

    private static string Name(string path) => path[(path.LastIndexOf('/') + 1)..];
}
