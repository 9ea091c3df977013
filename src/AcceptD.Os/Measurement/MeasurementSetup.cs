using AcceptD.Core.Measurement;
using AcceptD.Os.Files;
using AcceptD.Os.Measurement.AttestationAgent;

namespace AcceptD.Os.Measurement;

/// <summary>
/// acceptd.conf's choice of measurement writer: "auto" (the attestation-agent when its socket exists, else TDX RTMR3
/// through tsm-mr when present, else a TPM at /dev/tpmrm0, else none), or one of "attestation-agent", "rtmr", "tpm",
/// "none". Register: the RTMR (default 3), the PCR (default 23) or the agent's RegisterIndex (default: the agent's own).
/// LogPath: where AcceptD keeps the log when it writes the register itself (default: "eventlog" in the state directory).
/// BootId: whether each entry carries the kernel's boot id (a log then proves which boot it is from, but the register
/// differs on every boot, so a plain PCR policy cannot hold a reference value for it).
/// </summary>
public sealed record MeasurementChoice(string Writer, int? Register, string? LogPath, bool BootId = true)
{
    public const int DefaultPcr = 23, DefaultRtmr = 3;
    public static readonly IReadOnlyList<string> Writers = ["auto", "attestation-agent", "rtmr", "tpm", "none"];
    public static readonly MeasurementChoice Default = new("auto", null, null);
}

public static class MeasurementSetup
{
    public const string BootIdFile = "/proc/sys/kernel/random/boot_id";
    private const int BootIdLimit = 64; // a UUID and a newline

    /// <summary>The writer <paramref name="choice"/> names on the host under <paramref name="root"/>; never throws for I/O.</summary>
    public static IMeasurementLog Open(MeasurementChoice choice, string root, string stateDirectory, Action<string> journal)
    {
        var at = (string path) => root.TrimEnd('/') + path;
        var bootId = !choice.BootId ? null : BoundedFile.Read(at(BootIdFile), BootIdLimit).Text?.Trim() ?? "unknown";
        var writer = choice.Writer != "auto" ? choice.Writer
            : File.Exists(at(AttestationAgentLog.DefaultSocket)) ? "attestation-agent"
            : File.Exists(new TsmRtmr(root, choice.Register ?? MeasurementChoice.DefaultRtmr).Device) ? "rtmr"
            : File.Exists(at("/dev/tpmrm0")) ? "tpm" : "none";
        IMeasurementRegister? register = writer switch
        {
            "rtmr" => new TsmRtmr(root, choice.Register ?? MeasurementChoice.DefaultRtmr),
            "tpm" => TpmPcr.OnDevice(choice.Register ?? MeasurementChoice.DefaultPcr, at("/dev/tpmrm0")),
            _ => null,
        };
        return writer == "attestation-agent"
            ? new AttestationAgentLog(at(AttestationAgentLog.DefaultSocket), (ulong?)choice.Register, at(AttestationAgentLog.DefaultLog), bootId, journal)
            : new LocalMeasurementLog(new EventLogFile(choice.LogPath ?? Path.Combine(stateDirectory, "eventlog")), register, bootId, journal);
    }

    /// <summary>AcceptD's entry texts in the log at <paramref name="path"/> (for `acceptd topology`); none when unreadable.</summary>
    public static IReadOnlyList<string> AcceptdEntries(string path) =>
        BoundedFile.ReadBytes(path, BoundedFile.EventLogLimit).Bytes is { } bytes
            ? [.. Tcg2Log.Read(bytes).Events.Select(e => Tcg2Log.AaelText(e.Data)).OfType<string>()
                .Where(t => t.StartsWith(MeasuredEvent.Domain + " ", StringComparison.Ordinal))]
            : [];
}
