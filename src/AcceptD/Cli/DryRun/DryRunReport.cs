using System.Text;
using System.Text.Json;
using AcceptD.Core.Planning;
using AcceptD.Core.State;
using AcceptD.Core.Text;

namespace AcceptD.Cli.DryRun;

/// <summary>Renders a <see cref="HostAnalysis"/>: a table and the planned writes, or JSON (schema "acceptd-dry-run/1", README).</summary>
public static class DryRunReport
{
    public const string Schema = "acceptd-dry-run/1";

    public static string Text(HostAnalysis analysis)
    {
        var policyFiles = analysis.Pipeline.Policy.Policy.Files;
        var sb = new StringBuilder();
        sb.AppendLine($"AcceptD dry-run of {analysis.Host.Source}, kernel {analysis.Host.KernelRelease}");
        sb.AppendLine($"policy: {string.Join(", ", policyFiles)}");
        var options = analysis.Pipeline.Options;
        sb.AppendLine($"options: mode {options.Mode.ToString().ToLowerInvariant()}, prebound-denied {options.PreboundDenied.ToString().ToLowerInvariant()} (acceptd.conf and the kernel command line)");
        sb.AppendLine(analysis.Host.Modules.IsAvailable
            ? $"module index: {analysis.Host.Modules.ModulesDir}"
            : $"module index: not found at {analysis.Host.Modules.ModulesDir}: no driver can be resolved, allowed devices show 'no module'");
        sb.AppendLine("nothing is written: this is a dry run");
        sb.AppendLine();
        var rows = analysis.Plans.Select(p => new[]
        {
            p.Facts.Device.Key, p.Facts.Device.Ids.Id ?? "-", p.Decision.Verdict.ToString().ToLowerInvariant(),
            DriverText(p), p.Outcome.Name(), ShortLocation(p), p.Decision.Reason,
        }.Select(Printable.Escape).ToArray()).ToList(); // names and reasons come from the host: one row per device, always
        string[] header = ["DEVICE", "ID", "DECISION", "DRIVER", "OUTCOME", "RULE", "REASON"];
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Select(r => r[i].Length).DefaultIfEmpty(0).Max())).ToArray();
        void Row(string[] cells) => sb.AppendLine(string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd());
        Row(header);
        foreach (var row in rows) Row(row);

        sb.AppendLine();
        sb.AppendLine("Planned kernel writes, in order:");
        var n = 0;
        sb.AppendLine("  at start:");
        foreach (var step in DecisionPipeline.StartSteps) sb.AppendLine($"    {++n,3}. {step.Describe()}");
        foreach (var plan in analysis.Plans.Where(p => !p.IsEmpty))
        {
            sb.AppendLine($"  {Printable.Escape(plan.Facts.Device.Key)} ({plan.Decision.Verdict.ToString().ToLowerInvariant()}):");
            foreach (var step in plan.Steps) sb.AppendLine($"    {++n,3}. {Printable.Escape(step.Describe())}");
        }
        sb.AppendLine("  devices a bind creates (a virtio transport's virtio device) are decided the same way when they appear");
        var counts = analysis.Plans.GroupBy(p => p.Decision.Verdict).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}");
        sb.AppendLine();
        sb.AppendLine($"{analysis.Plans.Count} devices: {string.Join(", ", counts)}; {n} writes planned");
        return sb.ToString();
    }

    /// <summary>"50-cc-default.rules:58" in the table; JSON and `policy explain` give the full path.</summary>
    private static string ShortLocation(BindPlan plan)
    {
        var location = plan.Decision.Rule.Location;
        return location.Line == 0 ? location.File : $"{Path.GetFileName(location.File)}:{location.Line}";
    }

    private static string DriverText(BindPlan plan)
    {
        var device = plan.Facts.Device;
        var chosen = plan.Decision.Chosen;
        if (device.Driver is { } bound && (chosen is null || chosen.Driver == bound)) return bound + " (bound)";
        if (chosen is null) return plan.Decision.Verdict is Core.Policy.Verdict.Allow or Core.Policy.Verdict.Tdisp ? "no module" : "-";
        return chosen.DriverCertain ? chosen.DriverOrModule : $"{chosen.DriverOrModule} ({chosen.Source.ToString().ToLowerInvariant()})";
    }

    public static string Json(HostAnalysis analysis)
    {
        var policyFiles = analysis.Pipeline.Policy.Policy.Files;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("schema", Schema);
            json.WriteString("source", analysis.Host.Source);
            json.WriteString("kernel", analysis.Host.KernelRelease);
            json.WriteBoolean("moduleIndex", analysis.Host.Modules.IsAvailable);
            json.WriteStartArray("policyFiles");
            foreach (var f in policyFiles) json.WriteStringValue(f);
            json.WriteEndArray();
            json.WriteStartArray("startWrites");
            foreach (var step in DecisionPipeline.StartSteps) json.WriteStringValue(step.Describe());
            json.WriteEndArray();
            json.WriteStartArray("devices");
            foreach (var plan in analysis.Plans) WriteDevice(json, plan);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteDevice(Utf8JsonWriter json, BindPlan plan)
    {
        var d = plan.Facts.Device;
        json.WriteStartObject();
        json.WriteString("key", d.Key);
        json.WriteString("bus", d.Bus);
        json.WriteString("name", d.Name);
        json.WriteString("path", d.SysPath);
        json.WriteString("modalias", d.Modalias);
        json.WriteString("id", d.Ids.Id);
        json.WriteString("class", d.Ids.Class is { } c ? $"0x{c:x6}" : null);
        json.WriteString("boundDriver", d.Driver);
        json.WriteBoolean("tdispCapable", d.TdispCapable);
        json.WriteString("verdict", plan.Decision.Verdict.ToString().ToLowerInvariant());
        json.WriteString("rule", plan.Decision.Rule.Location.ToString());
        json.WriteString("reason", plan.Decision.Reason);
        if (plan.Decision.Chosen is { } chosen)
        {
            json.WriteStartObject("chosen");
            json.WriteString("module", chosen.Module);
            json.WriteString("driver", chosen.DriverOrModule);
            json.WriteString("driverSource", chosen.Source.ToString().ToLowerInvariant());
            json.WriteEndObject();
        }
        else json.WriteNull("chosen");
        json.WriteString("outcome", plan.Outcome.Name());
        json.WriteString("note", plan.Note);
        json.WriteStartArray("writes");
        foreach (var step in plan.Steps) json.WriteStringValue(step.Describe());
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
