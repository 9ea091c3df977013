using System.CommandLine;
using System.Text.Json;
using AcceptD.Core.Text;

namespace AcceptD.Cli.List;

/// <summary>`acceptd list [FILTER] [--json]`: the devices the running daemon knows, one line each.</summary>
public static class ListCommand
{
    public static Command Create()
    {
        var filter = new Argument<string>("filter") { Description = "Glob over key, name, state or verdict (default: all).", DefaultValueFactory = _ => "" };
        var json = CommonOptions.Json();
        return DaemonClient.Verb("list", "List devices with their state, verdict, driver and rule.", (parse, client, output) =>
        {
            var rows = client.ListDevices(parse.GetValue(filter) ?? "");
            if (parse.GetValue(json)) WriteJson(rows, output);
            else WriteTable(rows, output);
            return CliErrors.Ok;
        }, filter, json);
    }

    private static void WriteTable(IReadOnlyList<DaemonClient.DeviceRow> rows, TextWriter output)
    {
        string[][] lines = [["DEVICE", "STATE", "VERDICT", "DRIVER", "RULE"],
            .. rows.Select(r => new[] { r.Key, r.State, Dash(r.Verdict), Dash(r.Driver), Dash(r.Rule) }.Select(Printable.Escape).ToArray())];
        var widths = Enumerable.Range(0, 5).Select(c => lines.Max(l => l[c].Length)).ToArray();
        foreach (var l in lines)
            output.WriteLine(string.Join("  ", l.Select((cell, c) => c == 4 ? cell : cell.PadRight(widths[c]))).TrimEnd());
    }

    private static string Dash(string s) => s.Length == 0 ? "-" : s;

    private static void WriteJson(IReadOnlyList<DaemonClient.DeviceRow> rows, TextWriter output)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartArray();
            foreach (var r in rows)
            {
                w.WriteStartObject();
                w.WriteString("key", r.Key);
                w.WriteString("path", r.Path);
                w.WriteString("state", r.State);
                w.WriteString("verdict", r.Verdict);
                w.WriteString("driver", r.Driver);
                w.WriteString("rule", r.Rule);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}
