using AcceptD.Core.Text;

namespace AcceptD.Os.Snapshot;

/// <summary>
/// What a snapshot may hold, checked on read and on write (so `acceptd snapshot` never writes an archive AcceptD
/// refuses). Archives come from other machines: a gzip bomb must stop at a total, not only per entry, and the
/// manifest's listing names become device names, so they are single path components without control characters.
/// </summary>
public static class SnapshotLimits
{
    public const long MaxEntryBytes = 64 << 20;   // modules.alias, the largest file read, is about 1.5 MB
    public const long MaxTotalBytes = 128 << 20;  // the shipped snapshots are under 1 MB; a 1,000-device tree ~10 MB
    public const int MaxEntries = 200_000;        // a 1,000-device tree is ~30,000 files and links

    /// <summary>Null when every listing is well formed, else what is wrong (naming the directory and the entry).</summary>
    public static string? ListingProblem(IReadOnlyDictionary<string, string[]> listings)
    {
        foreach (var (directory, names) in listings)
        {
            if (directory is null || !directory.StartsWith('/') || Printable.NeedsEscape(directory))
                return $"listing '{Printable.Escape(directory)}' is not an absolute path";
            if (names is null) return $"listing {directory} is null";
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var name in names)
            {
                if (NameProblem(name) is { } why) return $"listing {directory} has an entry '{Printable.Escape(name)}' that {why}";
                if (!seen.Add(name)) return $"listing {directory} names '{Printable.Escape(name)}' twice";
            }
        }
        return null;
    }

    private static string? NameProblem(string? name) => name switch
    {
        null or "" => "is empty",
        "." or ".." => "is not a name",
        _ when name.Contains('/') => "contains '/'",
        _ when Printable.NeedsEscape(name) => "contains a control character",
        _ => null,
    };
}
