using System.Text;
using AcceptD.Core.Devices;

namespace AcceptD.Os.Snapshot;

/// <summary>A captured host, replayed: answers exactly what the live host answered when the snapshot was taken.</summary>
public sealed class SnapshotFileView : IFileView
{
    private readonly SnapshotArchive.Manifest _manifest;
    private readonly Dictionary<string, byte[]?> _files;
    private readonly Dictionary<string, string> _links;
    private readonly HashSet<string> _present;

    internal SnapshotFileView(SnapshotArchive.Manifest manifest, Dictionary<string, byte[]?> files, Dictionary<string, string> links)
    {
        _manifest = manifest;
        _files = files;
        _links = links;
        _present = new HashSet<string>(manifest.Present, StringComparer.Ordinal);
    }

    public DateTimeOffset Created => _manifest.Created;

    public string Host => _manifest.Host;

    public IReadOnlyList<string> List(string path) =>
        _manifest.Listings.TryGetValue(path, out var entries) ? entries : [];

    /// <summary>Decoded on each read, not when the archive is read: a snapshot also holds binary files (kmod's .bin indexes).</summary>
    public string? Read(string path) => _files.GetValueOrDefault(path) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;

    public byte[]? ReadBytes(string path) => _files.GetValueOrDefault(path);

    public string? ReadLink(string path) => _links.GetValueOrDefault(path);

    public bool Exists(string path) =>
        _present.Contains(path) || _files.ContainsKey(path) || _links.ContainsKey(path) || _manifest.Listings.ContainsKey(path);
}
