using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AcceptD.Core.Topology;

/// <summary>
/// Every accepted device, sorted by key. Canonical form (UTF-8): the line "acceptd-topology 1", then one line per
/// device with eight TAB-separated fields — key, path, vvvv:dddd, subsystem vvvv:dddd, class (6 hex), revision, driver,
/// evidence digest — absent values written "-", and "\", TAB, LF inside a field escaped as \\, \t, \n; every line ends
/// in LF. The digest is "sha384:" + hex SHA-384 of those bytes.
/// </summary>
public sealed class TopologyRecord
{
    public const string Header = "acceptd-topology 1";

    public TopologyRecord(IEnumerable<TopologyEntry> entries)
    {
        Entries = [.. entries.OrderBy(e => e.Key, StringComparer.Ordinal)];
        for (var i = 1; i < Entries.Length; i++)
            if (Entries[i].Key == Entries[i - 1].Key) throw new ArgumentException($"device {Entries[i].Key} listed twice", nameof(entries));
        Canonical = Header + "\n" + string.Concat(Entries.Select(e => string.Join('\t', e.Fields().Select(Escape)) + "\n"));
        Digest = "sha384:" + Convert.ToHexStringLower(SHA384.HashData(Encoding.UTF8.GetBytes(Canonical)));
    }

    public static readonly TopologyRecord Empty = new([]);

    public ImmutableArray<TopologyEntry> Entries { get; }

    public string Canonical { get; }

    public string Digest { get; }

    public TopologyEntry? Find(string key) => Entries.FirstOrDefault(e => e.Key == key);

    public TopologyRecord With(TopologyEntry entry) => new(Entries.Where(e => e.Key != entry.Key).Append(entry));

    /// <summary>{"version":1,"digest":…,"devices":[{key,path,id,subsystem,class,revision,driver,evidence}]}, nulls for absent values.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("version", 1);
            json.WriteString("digest", Digest);
            json.WriteStartArray("devices");
            foreach (var e in Entries)
            {
                json.WriteStartObject();
                string[] names = ["key", "path", "id", "subsystem", "class", "revision", "driver", "evidence"];
                foreach (var (name, value) in names.Zip(e.Fields()))
                    if (value == "-") json.WriteNull(name); else json.WriteString(name, value);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string Escape(string field) => field.Replace("\\", "\\\\").Replace("\t", "\\t").Replace("\n", "\\n");
}
