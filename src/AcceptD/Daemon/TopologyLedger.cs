using System.Text;
using System.Text.Json;
using AcceptD.Core.Measurement;
using AcceptD.Core.State;
using AcceptD.Core.Topology;
using AcceptD.Os.Measurement;
using AcceptD.Os.Systemd;
using Serilog;

namespace AcceptD.Daemon;

/// <summary>
/// The topology's lock and its measurement: every topology event (accepted, evidence verified, violation, removed,
/// locked) goes through <see cref="Record"/>, the one call that reaches the measurement log (and with it the
/// register). Without a log (dry-run) nothing is measured. A failure to measure never changes what was decided: the
/// log's status turns into an error state that STATUS=, D-Bus and `acceptd topology` show.
/// </summary>
public sealed class TopologyLedger(IMeasurementLog? measurements, DeviceRegistry registry, ILogger log, TimeProvider time)
{
    private const string EvidenceVerifiedPrefix = MeasuredEvent.Domain + " tdisp-evidence-verified ";

    /// <summary>The evidence verifications measured this boot: the log's entries (it lives under /run), then this run's.</summary>
    private readonly List<string> _verified = measurements is null ? [] :
        [.. MeasurementSetup.AcceptdEntries(measurements.Status.LogPath).Where(e => e.StartsWith(EvidenceVerifiedPrefix, StringComparison.Ordinal))];

    public bool Locked => registry.TopologyLock is not null;

    public TopologyLock? TopologyLock => registry.TopologyLock;

    /// <summary>Whether the measurement log holds the verification of this evidence for this device (a digest in the
    /// state file alone proves nothing).</summary>
    public bool MeasuredEvidence(string deviceName, string evidenceDigest) =>
        _verified.Any(e => e.Contains(evidenceDigest, StringComparison.Ordinal) && e.Contains(deviceName, StringComparison.Ordinal));

    /// <summary>Who measures into which register, or why measuring stopped.</summary>
    public string MeasurementSummary => measurements?.Status.Summary ?? "dry-run: nothing measured";

    /// <summary>Locks the topology at the devices bound now; from now on the set of bound devices can only shrink.</summary>
    public void Lock()
    {
        var digest = registry.Freeze(time.GetUtcNow()).Locked.Digest;
        Record(TopologyEventKind.TopologyLocked, digest, null);
        log.WithMessageId(JournalMessageIds.TopologyLocked).Information("topology locked; digest {Digest}", digest);
    }

    /// <summary>Measures one event with the topology digest after it.</summary>
    public void Record(TopologyEventKind kind, string digest, DeviceRecord? device)
    {
        if (measurements is null) return;
        var before = measurements.Status.Error;
        measurements.Record(new TopologyEvent(kind, digest, device is null ? null : TopologyEntry.From(device)));
        if (kind == TopologyEventKind.EvidenceVerified && device is not null && measurements.Status.Error is null)
            _verified.Add($"{device.Name} {device.EvidenceDigest}");
        if (measurements.Status.Error is { } error && error != before)
            log.WithMessageId(JournalMessageIds.KernelError).Error("measurement failed: {Measurement}", measurements.Status.Summary);
    }

    /// <summary>{"locked", "record": the canonical record with its digest, "measurement", "events": AcceptD's entries of the event log}.</summary>
    public string Json(GateSnapshot snapshot)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteBoolean("locked", snapshot.TopologyLocked);
            json.WritePropertyName("record");
            json.WriteRawValue(snapshot.Topology.ToJson());
            json.WriteString("measurement", measurements?.Status.Summary);
            json.WriteStartArray("events");
            foreach (var line in measurements is null ? [] : MeasurementSetup.AcceptdEntries(measurements.Status.LogPath)) json.WriteStringValue(line);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
