using AcceptD.Core.Devices;

namespace AcceptD.Core.Drivers;

/// <summary>The files of one module directory, and the problems met reading them (shared by its indexes).</summary>
internal sealed class ModulesDirectory(IFileView files, string path)
{
    private readonly Lock _gate = new();
    private readonly List<string> _warnings = [];

    public string? Read(string name) => files.Read(path + "/" + name);

    /// <summary>A .bin file's bytes; null when it is missing or unreadable (the latter with a warning).</summary>
    public byte[]? ReadBytes(string name)
    {
        var bytes = files.ReadBytes(path + "/" + name);
        if (bytes is null && files.Problem(path + "/" + name) is { } problem) Warn($"{problem}; using the text file");
        return bytes;
    }

    public void Warn(string warning)
    {
        lock (_gate) _warnings.Add(warning);
    }

    public IReadOnlyList<string> Warnings
    {
        get { lock (_gate) return _warnings.ToArray(); }
    }
}

/// <summary>
/// One depmod index, opened on first use: from kmod's NAME.bin when there is a usable one (what kmod reads), else
/// from the text file. Corruption that only shows in the middle of a lookup switches the index to the text file for
/// good, with a warning, and the lookup is answered from it: a damaged .bin costs speed, never an answer.
/// </summary>
internal sealed class IndexSource<T>(ModulesDirectory directory, string binaryName, Func<KmodIndex, T> fromBinary, Func<T> fromText)
    where T : class
{
    private readonly Lock _gate = new();
    private T? _index;
    private KmodIndex? _binary;

    public TResult Query<TResult>(Func<T, TResult> query)
    {
        var index = Current();
        try
        {
            return query(index);
        }
        catch (InvalidDataException e)
        {
            return query(FallBack(index, e.Message));
        }
    }

    /// <summary>Opens the index now and checks the whole .bin, then reads the text file too (for a snapshot to hold both).</summary>
    public void Preload()
    {
        Query(_ => _binary?.All());
        fromText();
    }

    private T Current()
    {
        lock (_gate) return _index ??= Open();
    }

    private T Open()
    {
        if (directory.ReadBytes(binaryName) is not { } bytes) return fromText();
        try
        {
            _binary = KmodIndex.Open(bytes);
            return fromBinary(_binary);
        }
        catch (InvalidDataException e)
        {
            directory.Warn($"{binaryName}: {e.Message}; using the text file");
            _binary = null;
            return fromText();
        }
    }

    private T FallBack(T failed, string why)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_index, failed) && _binary is not null)
            {
                directory.Warn($"{binaryName}: {why}; using the text file");
                _binary = null;
                _index = fromText();
            }
            return _index!;
        }
    }
}
