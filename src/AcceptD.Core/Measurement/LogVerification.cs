using System.Collections.Immutable;
using System.Text.Json;

namespace AcceptD.Core.Measurement;

/// <summary>One AcceptD entry of a verified log: its number in the log, seq, operation, and the device it names.</summary>
public sealed record VerifiedEntry(int Number, long Seq, string Operation, string TopologyDigest, string? Device);

/// <summary>What `acceptd attest verify` found: Error (naming the entry) is null only when everything matched.</summary>
public sealed record LogVerification(
    string? Error, string ReplayedRegister, string? BootId, string? TopologyDigest,
    ImmutableArray<VerifiedEntry> Entries, ImmutableArray<string> Devices)
{
    public bool Ok => Error is null;

    /// <summary>
    /// Replays <paramref name="log"/> into <paramref name="register"/> from its boot value and compares the result with
    /// <paramref name="expected"/>. Every event must target that register, carry the digest of its own data, and, when
    /// it is an AcceptD entry, hold canonical content whose seq follows the previous one and whose boot_id (or its
    /// absence) is the same as every other entry's, and equals <paramref name="bootId"/> when one is given. Entries of other domains (a shared
    /// attestation-agent log) are replayed but not interpreted.
    /// </summary>
    public static LogVerification Verify(ReadOnlySpan<byte> log, MeasuredRegister register, byte[] expected, string? bootId = null)
    {
        var bank = register.Bank;
        var value = bank.Initial;
        var entries = ImmutableArray.CreateBuilder<VerifiedEntry>();
        var devices = new SortedSet<string>(StringComparer.Ordinal);
        string? topology = null;
        LogVerification Result(string? error) =>
            new(error, Convert.ToHexStringLower(value), bootId, topology, entries.ToImmutable(), [.. devices]);

        var (logBank, events, readError) = Tcg2Log.Read(log);
        if (logBank is not null && logBank != bank) return Result($"header: the log's bank is {logBank.Name}, {register.Name} uses {bank.Name}");
        foreach (var e in events)
        {
            var at = $"entry {e.Number}";
            if (e.RegisterIndex != register.LogIndex) return Result($"{at}: measured into register index {e.RegisterIndex}, not {register.LogIndex} ({register.Name})");
            if (!e.Digest.AsSpan().SequenceEqual(bank.Hash(e.Data))) return Result($"{at}: digest does not match its data (the entry was altered)");
            value = bank.Extend(value, e.Digest);
            if (e.EventType != Tcg2Log.EvEventTag || Tcg2Log.AaelText(e.Data) is not { } text) continue;
            var parts = text.Split(' ', 3);
            if (parts.Length != 3 || parts[0] != MeasuredEvent.Domain) continue;
            if (Claims(parts[2], out var error) is not { } claims) return Result($"{at}: {error}");
            var seq = claims.RootElement.GetProperty("seq").GetInt64();
            if (!TopologyEvent.Operations.Contains(parts[1])) return Result($"{at}: unknown operation '{parts[1]}'");
            if (seq != entries.Count + 1) return Result($"{at}: seq {seq} where {entries.Count + 1} was due (entries reordered, removed or replayed)");
            var boot = claims.RootElement.TryGetProperty("boot_id", out var b) ? b.GetString() : null;
            if (entries.Count > 0 || bootId is not null)
                if (boot != bootId) return Result($"{at}: from boot {boot ?? "(none given)"}, not {bootId ?? "(none given)"} (a log of another boot)");
            bootId = boot;
            topology = claims.RootElement.GetProperty("topology_digest").GetString();
            var device = claims.RootElement.TryGetProperty("device", out var d) ? d.GetProperty("name").GetString() : null;
            if (device is not null && parts[1] is "device-accepted" or "tdisp-evidence-verified") devices.Add(device);
            if (device is not null && parts[1] == "device-removed") devices.Remove(device);
            entries.Add(new VerifiedEntry(e.Number, seq, parts[1], topology!, device));
        }
        if (readError is not null) return Result(readError);
        if (!value.AsSpan().SequenceEqual(expected))
            return Result($"entry {events.Count} (the last): {register.Name} replays to {Convert.ToHexStringLower(value)}, " +
                $"but is {Convert.ToHexStringLower(expected)} (entries missing at the end, a log of another boot, or another writer)");
        return Result(null);
    }

    /// <summary>The content as JSON, when it is canonical (RFC 8785) and has the claims every entry carries.</summary>
    private static JsonDocument? Claims(string content, out string? error)
    {
        error = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(content);
        }
        catch (JsonException e)
        {
            error = "content is not JSON: " + e.Message;
            return null;
        }
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object
            || !(root.TryGetProperty("seq", out var seq) && seq.ValueKind == JsonValueKind.Number && seq.TryGetInt64(out _))
            || (root.TryGetProperty("boot_id", out var boot) && boot.ValueKind != JsonValueKind.String)
            || !(root.TryGetProperty("topology_digest", out var digest) && digest.ValueKind == JsonValueKind.String)
            || (root.TryGetProperty("device", out var device) && !(device.ValueKind == JsonValueKind.Object
                && device.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)))
            error = "content lacks seq or topology_digest, or has a boot_id or device of the wrong form";
        else if (!IsCanonical(root, content))
            error = "content is not RFC 8785 canonical JSON";
        return error is null ? document : null;
    }

    private static bool IsCanonical(JsonElement root, string content)
    {
        try
        {
            return CanonicalJson.Serialize(Plain(root)) == content;
        }
        catch (ArgumentException)
        {
            return false; // a key given twice
        }
    }

    private static object? Plain(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().ToDictionary(p => p.Name, p => Plain(p.Value)) as IReadOnlyDictionary<string, object?>,
        JsonValueKind.Array => e.EnumerateArray().Select(Plain).ToList(),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number when e.TryGetInt64(out var n) => n,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null => null,
        _ => e.GetRawText(), // a fraction: never canonical here, so the comparison fails
    };
}
