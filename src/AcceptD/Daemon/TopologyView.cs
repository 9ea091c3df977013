using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AcceptD.Core.State;

namespace AcceptD.Daemon;

/// <summary>
/// The accepted device topology as a relying party sees it: every bound device, one canonical line each, sorted,
/// and the SHA-384 of those lines. Line: "key path vendor:device driver evidence-digest" ("-" for missing).
/// </summary>
public static class TopologyView
{
    public static IReadOnlyList<string> Lines(IEnumerable<DeviceRecord> records) =>
        records.Where(r => r.State == DeviceState.Bound)
            .Select(r => string.Join(' ', r.Key, r.Path, r.Ids.Id ?? "-", r.Driver ?? "-", r.EvidenceDigest ?? "-"))
            .Order(StringComparer.Ordinal).ToList();

    public static string Digest(IEnumerable<DeviceRecord> records) =>
        "sha384:" + Convert.ToHexStringLower(SHA384.HashData(Encoding.UTF8.GetBytes(string.Concat(Lines(records).Select(l => l + "\n")))));

    public static string Json(IEnumerable<DeviceRecord> records, bool locked)
    {
        var list = records.ToList();
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("version", 1);
            json.WriteBoolean("locked", locked);
            json.WriteString("digest", Digest(list));
            json.WriteStartArray("devices");
            foreach (var line in Lines(list)) json.WriteStringValue(line);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
