using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AcceptD.Core.Measurement;

namespace AcceptD.Cli.Attest;

/// <summary>
/// `acceptd attest verify --log FILE (--rtmr N=HEX | --pcr N=HEX) [--boot-id ID] [--json]`: replays a TCG2/AAEL event
/// log into the register, checks every entry, and compares with the register value the relying party trusts (from a
/// quote). Exit 0 only when everything matches, 1 when something does not (the message names the entry), 2 for usage.
/// Reads only the given file: runs anywhere, unprivileged.
/// </summary>
public static class AttestVerifyCommand
{
    public static Command Create()
    {
        var log = new Option<FileInfo>("--log") { Description = "The event log (e.g. a copy of /run/acceptd/eventlog).", Required = true };
        var rtmr = new Option<string?>("--rtmr") { Description = "N=HEX: the TDX RTMR N the log was extended into, and its quoted value." };
        var pcr = new Option<string?>("--pcr") { Description = "N=HEX: the TPM PCR N (SHA-256 bank) and its quoted value." };
        var bootId = new Option<string?>("--boot-id") { Description = "Require every entry to come from this boot (the guest's /proc/sys/kernel/random/boot_id)." };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
        var command = new Command("verify", "Replay an event log against a register value.") { log, rtmr, pcr, bootId, json };
        command.SetAction(result =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            var (register, expected, usage) = Register(result.GetValue(rtmr), result.GetValue(pcr));
            if (usage is not null)
            {
                error.WriteLine($"acceptd attest verify: {usage}");
                return CliErrors.Usage;
            }
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(result.GetValue(log)!.FullName);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"acceptd attest verify: {result.GetValue(log)!.FullName}: {e.Message}");
                return CliErrors.Usage;
            }
            var verification = LogVerification.Verify(bytes, register!, expected!, result.GetValue(bootId));
            if (result.GetValue(json)) output.WriteLine(Json(verification, register!));
            else Text(verification, register!, output);
            if (!verification.Ok && !result.GetValue(json)) error.WriteLine($"acceptd attest verify: {result.GetValue(log)!.Name}: {verification.Error}");
            return verification.Ok ? CliErrors.Ok : CliErrors.Failure;
        });
        return command;
    }

    private static (MeasuredRegister? Register, byte[]? Value, string? Usage) Register(string? rtmr, string? pcr)
    {
        if ((rtmr is null) == (pcr is null)) return (null, null, "give exactly one of --rtmr N=HEX or --pcr N=HEX");
        var text = (rtmr ?? pcr)!;
        var eq = text.IndexOf('=');
        if (eq <= 0 || !int.TryParse(text[..eq], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            return (null, null, $"'{text}' is not N=HEX");
        var register = rtmr is null ? MeasuredRegister.Pcr(n) : MeasuredRegister.Rtmr(n);
        if (register.Refusal is { } why) return (null, null, why);
        var hex = text[(eq + 1)..];
        if (hex.Length != register.Bank.DigestSize * 2 || !hex.All(Uri.IsHexDigit))
            return (null, null, $"{register.Name} holds a {register.Bank.Name} value: {register.Bank.DigestSize * 2} hex digits, not '{hex}'");
        return (register, Convert.FromHexString(hex), null);
    }

    private static void Text(LogVerification v, MeasuredRegister register, TextWriter output)
    {
        output.WriteLine($"{(v.Ok ? "OK" : "FAILED")}: {v.Entries.Length} AcceptD entries, {register.Name} replays to {v.ReplayedRegister}");
        output.WriteLine($"boot:     {v.BootId ?? "-"}");
        output.WriteLine($"topology: {v.TopologyDigest ?? "-"}");
        foreach (var device in v.Devices) output.WriteLine($"device:   {device}");
    }

    private static string Json(LogVerification v, MeasuredRegister register)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteBoolean("ok", v.Ok);
            json.WriteString("error", v.Error);
            json.WriteString("register", register.Name);
            json.WriteString("replayed", v.ReplayedRegister);
            json.WriteString("boot_id", v.BootId);
            json.WriteString("topology_digest", v.TopologyDigest);
            json.WriteStartArray("devices");
            foreach (var device in v.Devices) json.WriteStringValue(device);
            json.WriteEndArray();
            json.WriteStartArray("entries");
            foreach (var e in v.Entries)
            {
                json.WriteStartObject();
                json.WriteNumber("entry", e.Number);
                json.WriteNumber("seq", e.Seq);
                json.WriteString("operation", e.Operation);
                json.WriteString("device", e.Device);
                json.WriteString("topology_digest", e.TopologyDigest);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
