using AcceptD.Core.State;
using AcceptD.Os.Files;

namespace AcceptD.Os.State;

/// <summary>
/// The prebound record on disk (&lt;state&gt;/prebound, see <see cref="PreboundRecord"/>). Read with a size cap; a
/// daemon writes it only when no instance and no shim has written one this boot.
/// </summary>
public sealed class PreboundFile(string directory)
{
    private const int MaxBytes = 1024 * 1024; // about 20,000 bound devices

    public string FilePath => Path.Combine(directory, PreboundRecord.FileName);

    /// <summary>The record, or null when there is none; an unreadable, oversized or non-regular file is a problem and an empty record.</summary>
    public (PreboundRecord? Record, IReadOnlyList<string> Problems) Load()
    {
        var read = BoundedFile.Read(FilePath, MaxBytes);
        if (read.Missing) return (null, []);
        if (read.Error is { } error) return (PreboundRecord.Empty, [$"{error}; no device counts as pre-bound"]);
        return PreboundRecord.Parse(read.Text!, FilePath);
    }

    public void Write(PreboundRecord record, string header)
    {
        Directory.CreateDirectory(directory);
        var temp = FilePath + ".tmp";
        File.WriteAllText(temp, record.ToText(header));
        File.Move(temp, FilePath, overwrite: false);
    }
}
