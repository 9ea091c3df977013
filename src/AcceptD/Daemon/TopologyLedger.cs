using System.Text;
using System.Text.Json;
using AcceptD.Os.State;
using AcceptD.Os.Systemd;
using Serilog;

namespace AcceptD.Daemon;

/// <summary>
/// The topology's lock and its measured event log: "accept", "violation" and "lock" events go through
/// <see cref="Append"/>, the one call that extends the log (and with it the measurement register). Without a log
/// (dry-run) nothing is recorded. A failure to record is logged, never fatal: the kernel state stays as decided.
/// </summary>
public sealed class TopologyLedger(TopologyLog? events, bool locked, ILogger log, TimeProvider time)
{
    public bool Locked { get; private set; } = locked;

    /// <summary>Locks the topology at <paramref name="digest"/>; from now on every new device is denied.</summary>
    public void Lock(string digest)
    {
        Locked = true;
        Append("lock", "-", digest);
        log.WithMessageId(JournalMessageIds.TopologyLocked).Information("topology locked; digest {Digest}", digest);
    }

    public void Append(string kind, string device, string digest)
    {
        try
        {
            events?.Append(time.GetUtcNow(), kind, device, digest);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Error("cannot append to the topology log or extend the measurement register: {Error}", e.Message);
        }
    }

    /// <summary>{"locked", "record": the canonical record with its digest, "events": the hash-chained log lines}.</summary>
    public string Json(GateSnapshot snapshot)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteBoolean("locked", snapshot.TopologyLocked);
            json.WritePropertyName("record");
            json.WriteRawValue(snapshot.Topology.ToJson());
            json.WriteStartArray("events");
            foreach (var line in events?.Lines() ?? []) json.WriteStringValue(line);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
