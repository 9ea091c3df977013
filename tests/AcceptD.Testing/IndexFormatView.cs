using AcceptD.Core.Devices;

namespace AcceptD.Testing;

/// <summary>
/// Another view with one format of the depmod indexes hidden: kmod's .bin files (text only), or the text files that
/// have a .bin counterpart (.bin only), so a test knows which format answered.
/// </summary>
public sealed class IndexFormatView(IFileView inner, bool binary) : IFileView
{
    private static readonly HashSet<string> TextIndexes =
        ["modules.alias", "modules.dep", "modules.symbols", "modules.builtin", "modules.builtin.alias", "modules.builtin.modinfo"];

    private bool Hidden(string path) => binary ? TextIndexes.Contains(Path.GetFileName(path)) : path.EndsWith(".bin", StringComparison.Ordinal);

    public IReadOnlyList<string> List(string path) => inner.List(path).Where(name => !Hidden(path + "/" + name)).ToArray();

    public string? Read(string path) => Hidden(path) ? null : inner.Read(path);

    public byte[]? ReadBytes(string path) => Hidden(path) ? null : inner.ReadBytes(path);

    public string? Problem(string path) => Hidden(path) ? null : inner.Problem(path);

    public string? ReadLink(string path) => Hidden(path) ? null : inner.ReadLink(path);

    public bool Exists(string path) => !Hidden(path) && inner.Exists(path);
}
