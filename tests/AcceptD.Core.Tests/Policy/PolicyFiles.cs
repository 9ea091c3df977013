using AcceptD.Core.Devices;

namespace AcceptD.Core.Tests.Policy;

/// <summary>A few policy files and links in memory, for loader tests (files are tiny; nothing here is sysfs).</summary>
internal sealed class PolicyFiles : IFileView
{
    private readonly Dictionary<string, string> _texts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _links = new(StringComparer.Ordinal);

    public PolicyFiles File(string path, string text)
    {
        _texts[path] = text;
        return this;
    }

    public PolicyFiles Link(string path, string target)
    {
        _links[path] = target;
        return this;
    }

    public IReadOnlyList<string> List(string path) =>
        _texts.Keys.Concat(_links.Keys)
            .Where(p => p.StartsWith(path.TrimEnd('/') + "/", StringComparison.Ordinal))
            .Select(p => p[(path.TrimEnd('/').Length + 1)..])
            .Where(rest => !rest.Contains('/'))
            .Distinct()
            .ToList();

    public string? Read(string path) =>
        _links.TryGetValue(path, out var target)
            ? target == "/dev/null" ? "" : Read(target)
            : _texts.GetValueOrDefault(path);

    public string? ReadLink(string path) => _links.GetValueOrDefault(path);

    public bool Exists(string path) => _texts.ContainsKey(path) || _links.ContainsKey(path) || List(path).Count > 0;
}
