using System.Text;
using AcceptD.Core.State;

namespace AcceptD.Os.State;

/// <summary>
/// The prebound record on disk (&lt;state&gt;/prebound, see <see cref="PreboundRecord"/>). Read with a size cap; a
/// daemon writes it only when no instance and no shim has written one this boot.
/// </summary>
public sealed class PreboundFile(string directory)
{
    private const int MaxBytes = 1024 * 1024; // about 20,000 bound devices

    public string FilePath => Path.Combine(directory, PreboundRecord.FileName);

    /// <summary>The record, or null when there is none; an unreadable or oversized file is a problem and an empty record.</summary>
    public (PreboundRecord? Record, IReadOnlyList<string> Problems) Load()
    {
        try
        {
            var info = new FileInfo(FilePath);
            if (info.LinkTarget is null && !info.Exists) return (null, []);
            if (info.LinkTarget is not null || (info.Attributes & FileAttributes.Directory) != 0)
                return (PreboundRecord.Empty, [$"{FilePath}: not a regular file; no device counts as pre-bound"]);
            if (info.Length > MaxBytes)
                return (PreboundRecord.Empty, [$"{FilePath}: larger than {MaxBytes} bytes; no device counts as pre-bound"]);
            var text = Encoding.UTF8.GetString(File.ReadAllBytes(FilePath));
            return PreboundRecord.Parse(text, FilePath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (PreboundRecord.Empty, [$"{FilePath}: {e.Message}; no device counts as pre-bound"]);
        }
    }

    public void Write(PreboundRecord record, string header)
    {
        Directory.CreateDirectory(directory);
        var temp = FilePath + ".tmp";
        File.WriteAllText(temp, record.ToText(header));
        File.Move(temp, FilePath, overwrite: false);
    }
}
