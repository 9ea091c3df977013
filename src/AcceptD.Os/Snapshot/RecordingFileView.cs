using AcceptD.Core.Devices;

namespace AcceptD.Os.Snapshot;

/// <summary>
/// Passes reads through to another view and remembers each answer, so a snapshot holds exactly what
/// AcceptD read: no more (no recursive copy of sysfs), no less.
/// </summary>
public sealed class RecordingFileView(IFileView inner) : IFileView
{
    private readonly object _gate = new();

    public SortedDictionary<string, string[]> Listings { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, string?> Files { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, byte[]?> BinaryFiles { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, string> Links { get; } = new(StringComparer.Ordinal);
    public SortedSet<string> Present { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<string> List(string path)
    {
        var entries = inner.List(path);
        lock (_gate) Listings[path] = entries.Order(StringComparer.Ordinal).ToArray();
        return entries;
    }

    public string? Read(string path)
    {
        var text = inner.Read(path);
        lock (_gate)
            if (text is not null || inner.Exists(path)) Files[path] = text;
        return text;
    }

    public byte[]? ReadBytes(string path)
    {
        var bytes = inner.ReadBytes(path);
        lock (_gate)
            if (bytes is not null || inner.Exists(path)) BinaryFiles[path] = bytes;
        return bytes;
    }

    public string? Problem(string path) => inner.Problem(path);

    public string? ReadLink(string path)
    {
        var target = inner.ReadLink(path);
        if (target is not null) lock (_gate) Links[path] = target;
        return target;
    }

    public bool Exists(string path)
    {
        var exists = inner.Exists(path);
        if (exists) lock (_gate) Present.Add(path);
        return exists;
    }
}
