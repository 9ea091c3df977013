using AcceptD.Core.Topology;
using AcceptD.Os.Measurement;

namespace AcceptD.Os.State;

/// <summary>
/// The hash-chained topology event log (&lt;state&gt;/topology.log, one <see cref="TopologyEvent"/> per line, kept under
/// /run so it survives switch-root). Each event's hash is extended into the measurement register, so the quote of a
/// TDX guest commits to the log a relying party replays.
/// </summary>
public sealed class TopologyLog
{
    public const string FileName = "topology.log";
    private readonly string _path;
    private readonly RtmrExtender? _register;
    private TopologyEvent? _last;

    /// <exception cref="InvalidDataException">The log exists but its chain does not verify (names the file).</exception>
    public TopologyLog(string directory, RtmrExtender? register)
    {
        _path = Path.Combine(directory, FileName);
        _register = register;
        var lines = File.Exists(_path) ? File.ReadAllLines(_path) : [];
        if (TopologyEvent.VerifyLog(lines) is { } error) throw new InvalidDataException($"{_path}: {error}");
        _last = lines.Length == 0 ? null : TopologyEvent.Parse(lines[^1], out _);
    }

    public IReadOnlyList<string> Lines() => File.Exists(_path) ? File.ReadAllLines(_path) : [];

    public TopologyEvent Append(DateTimeOffset time, string kind, string device, string digest)
    {
        var next = TopologyEvent.Next(_last, time, kind, device, digest);
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        using (var stream = new FileStream(_path, FileMode.Append, FileAccess.Write))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(next.Format() + "\n");
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }
        _register?.Extend(next.HashBytes);
        _last = next;
        return next;
    }
}
