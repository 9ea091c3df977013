using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AcceptD.Core.Topology;

/// <summary>
/// One line of the append-only event log: seq, time (UTC, ISO 8601), kind (accept | violation | lock), device key
/// (or "-"), digest (evidence or topology digest, or "-"), the previous event's hash, and this event's hash — seven
/// TAB-separated fields. Hash = hex SHA-384 of the UTF-8 text of the first six fields joined by TAB, so each event
/// commits to the whole history before it. The first event's previous hash is 96 zeros.
/// </summary>
public sealed record TopologyEvent(long Seq, DateTimeOffset Time, string Kind, string Device, string Digest, string Previous, string Hash)
{
    public static readonly string Genesis = new('0', 96);
    public static readonly IReadOnlySet<string> Kinds = new HashSet<string> { "accept", "violation", "lock" };

    /// <summary>The event following <paramref name="last"/> (null: the first event).</summary>
    public static TopologyEvent Next(TopologyEvent? last, DateTimeOffset time, string kind, string device, string digest)
    {
        if (!Kinds.Contains(kind)) throw new ArgumentException($"unknown event kind '{kind}'", nameof(kind));
        if (new[] { device, digest }.Any(f => f.Length == 0 || f.Contains('\t') || f.Contains('\n')))
            throw new ArgumentException("device and digest must be non-empty single fields");
        var seq = (last?.Seq ?? 0) + 1;
        var previous = last?.Hash ?? Genesis;
        var utc = time.ToUniversalTime();
        return new TopologyEvent(seq, utc, kind, device, digest, previous, HashOf(seq, utc, kind, device, digest, previous));
    }

    /// <summary>The 48 bytes to extend into a measurement register.</summary>
    public byte[] HashBytes => Convert.FromHexString(Hash);

    public string Format() => string.Join('\t', Seq.ToString(CultureInfo.InvariantCulture), Stamp(Time), Kind, Device, Digest, Previous, Hash);

    public static TopologyEvent? Parse(string line, out string? error)
    {
        var f = line.Split('\t');
        error = f.Length != 7 ? $"{f.Length} fields instead of 7"
            : !long.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out _) ? $"bad seq '{f[0]}'"
            : !DateTimeOffset.TryParseExact(f[1], "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal, out _) ? $"bad time '{f[1]}'"
            : !Kinds.Contains(f[2]) ? $"unknown kind '{f[2]}'" : null;
        return error is null
            ? new TopologyEvent(long.Parse(f[0], CultureInfo.InvariantCulture),
                DateTimeOffset.ParseExact(f[1], "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                f[2], f[3], f[4], f[5], f[6])
            : null;
    }

    /// <summary>Null when the lines form an unbroken chain from the genesis, else "line N: what is wrong".</summary>
    public static string? VerifyLog(IEnumerable<string> lines)
    {
        TopologyEvent? last = null;
        var n = 0;
        foreach (var line in lines)
        {
            n++;
            if (Parse(line, out var error) is not { } e) return $"line {n}: {error}";
            if (e.Seq != (last?.Seq ?? 0) + 1) return $"line {n}: seq {e.Seq} follows {last?.Seq ?? 0}";
            if (e.Previous != (last?.Hash ?? Genesis)) return $"line {n}: previous hash does not match line {n - 1}";
            if (e.Hash != HashOf(e.Seq, e.Time, e.Kind, e.Device, e.Digest, e.Previous)) return $"line {n}: hash does not match its content";
            last = e;
        }
        return null;
    }

    private static string Stamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static string HashOf(long seq, DateTimeOffset time, string kind, string device, string digest, string previous) =>
        Convert.ToHexStringLower(SHA384.HashData(Encoding.UTF8.GetBytes(
            string.Join('\t', seq.ToString(CultureInfo.InvariantCulture), Stamp(time), kind, device, digest, previous))));
}
