using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AcceptD.Os.Snapshot;

/// <summary>
/// The portable snapshot: a gzip-compressed POSIX tar. "manifest.json" holds the version, when and where it was
/// taken, and the directory listings; "root/..." holds every file read (mode 0000 for one that existed but could
/// not be read) and every link, as tar entries.
/// </summary>
public static class SnapshotArchive
{
    public const int FormatVersion = 1;
    private const string ManifestName = "manifest.json";
    private const string RootPrefix = "root";

    public sealed record Manifest(int Version, DateTimeOffset Created, string Host, SortedDictionary<string, string[]> Listings, string[] Present);

    /// <exception cref="InvalidDataException">A directory listing holds a name a snapshot cannot carry (e.g. with a newline).</exception>
    public static void Write(Stream output, RecordingFileView recorded, string host, DateTimeOffset created)
    {
        if (SnapshotLimits.ListingProblem(recorded.Listings) is { } problem) throw new InvalidDataException(problem);
        using var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true);
        using var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true);
        var manifest = new Manifest(FormatVersion, created, host, recorded.Listings, recorded.Present.ToArray());
        AddFile(tar, ManifestName, JsonSerializer.SerializeToUtf8Bytes(manifest, SnapshotJson.Default.Manifest));
        foreach (var (path, text) in recorded.Files)
            AddFile(tar, RootPrefix + path, text is null ? null : Encoding.UTF8.GetBytes(text));
        foreach (var (path, bytes) in recorded.BinaryFiles)
            if (!recorded.Files.ContainsKey(path)) AddFile(tar, RootPrefix + path, bytes);
        foreach (var (path, target) in recorded.Links)
            tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, RootPrefix + path) { LinkName = target });
    }

    /// <summary>
    /// Reads the whole archive, to the gzip trailer (so its CRC and length are checked: a corrupted archive is
    /// refused, not replayed), within <see cref="SnapshotLimits"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">Not a readable snapshot; the message names the file and why.</exception>
    public static SnapshotFileView Read(Stream input, string nameForErrors)
    {
        Manifest? manifest = null;
        var files = new Dictionary<string, byte[]?>(StringComparer.Ordinal);
        var links = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var gzip = new GZipStream(input, CompressionMode.Decompress, leaveOpen: true);
            using var inflated = new InflationBudget(gzip, SnapshotLimits.MaxTotalBytes);
            using (var tar = new TarReader(inflated, leaveOpen: true))
            {
                var entries = 0;
                while (tar.GetNextEntry() is { } entry)
                {
                    if (++entries > SnapshotLimits.MaxEntries)
                        throw new InvalidDataException($"more than {SnapshotLimits.MaxEntries} entries");
                    if (entry.Name == ManifestName)
                        manifest = JsonSerializer.Deserialize(ReadBytes(entry), SnapshotJson.Default.Manifest);
                    else if (entry.Name.StartsWith(RootPrefix + "/", StringComparison.Ordinal))
                    {
                        var path = entry.Name[RootPrefix.Length..];
                        if (entry.EntryType == TarEntryType.SymbolicLink) links[path] = entry.LinkName;
                        else if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                            files[path] = entry.Mode == UnixFileMode.None ? null : ReadBytes(entry);
                    }
                }
            }
            inflated.ReadToEnd(); // the gzip trailer: GZipStream checks CRC-32 and length only when it reaches it
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or FormatException or EndOfStreamException)
        {
            throw new InvalidDataException($"{nameForErrors}: not an AcceptD snapshot ({e.Message})", e);
        }
        if (manifest is null) throw new InvalidDataException($"{nameForErrors}: not an AcceptD snapshot (no {ManifestName})");
        if (manifest.Version != FormatVersion)
            throw new InvalidDataException($"{nameForErrors}: snapshot format {manifest.Version} is not supported (this build reads {FormatVersion})");
        var problem = manifest.Listings is null ? $"{ManifestName} has no \"listings\""
            : manifest.Present is null || manifest.Present.Any(p => p is null) ? $"{ManifestName} has no \"present\" list, or a null in it"
            : manifest.Host is null ? $"{ManifestName} has no \"host\""
            : SnapshotLimits.ListingProblem(manifest.Listings);
        if (problem is not null) throw new InvalidDataException($"{nameForErrors}: not a valid AcceptD snapshot ({problem})");
        return new SnapshotFileView(manifest, files, links);
    }

    /// <summary>One entry's bytes, read in one piece (a snapshot holds thousands of small attributes).</summary>
    private static byte[] ReadBytes(TarEntry entry)
    {
        if (entry.DataStream is null || entry.Length == 0) return [];
        if (entry.Length > SnapshotLimits.MaxEntryBytes)
            throw new InvalidDataException($"{entry.Name} is {entry.Length} bytes, more than any file AcceptD reads");
        var bytes = new byte[entry.Length];
        entry.DataStream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>A file that existed but could not be read is written empty with mode 0000 (null bytes).</summary>
    private static void AddFile(TarWriter tar, string name, byte[]? bytes)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            Mode = bytes is null ? UnixFileMode.None : UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            DataStream = new MemoryStream(bytes ?? []),
            ModificationTime = DateTimeOffset.UnixEpoch,
        };
        tar.WriteEntry(entry);
    }
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SnapshotArchive.Manifest))]
internal sealed partial class SnapshotJson : JsonSerializerContext;
