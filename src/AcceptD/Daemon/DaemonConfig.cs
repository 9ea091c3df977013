using AcceptD.Core.Measurement;
using AcceptD.Core.Planning;
using AcceptD.Os.Measurement;

namespace AcceptD.Daemon;

/// <summary>
/// The daemon's settings from /etc/acceptd/acceptd.conf ("key = value" lines) and the kernel command line
/// (acceptd.mode=, acceptd.policy=), which wins: it is measured into the attestation, so a relying party sees it.
/// Pure: callers pass the texts. Any bad line is an error naming file:line, and the daemon does not start.
/// </summary>
public sealed record DaemonConfig(EnforcementMode Mode, PreboundDenied PreboundDenied, bool LockAfterColdplug, string StateDirectory,
    string? ExtraPolicyDirectory, MeasurementChoice Measurement)
{
    public static readonly DaemonConfig Default = new(EnforcementMode.Enforce, PreboundDenied.Report, false, "/run/acceptd", null, MeasurementChoice.Default);

    public static (DaemonConfig? Config, IReadOnlyList<string> Errors) Parse(string? fileText, string fileName, string commandLine)
    {
        var config = Default;
        var errors = new List<string>();
        var lineNo = 0;
        foreach (var raw in (fileText ?? "").Split('\n'))
        {
            lineNo++;
            var line = raw.Split('#', 2)[0].Trim();
            if (line.Length == 0) continue;
            var eq = line.IndexOf('=');
            if (eq <= 0) { errors.Add($"{fileName}:{lineNo}: expected 'key = value', got '{line}'"); continue; }
            var error = Apply(ref config, line[..eq].Trim(), line[(eq + 1)..].Trim());
            if (error is not null) errors.Add($"{fileName}:{lineNo}: {error}");
        }
        if (RegisterRefusal(config.Measurement) is { } refusal) errors.Add($"{fileName}: {refusal}");
        foreach (var word in commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!word.StartsWith("acceptd.", StringComparison.Ordinal)) continue;
            var eq = word.IndexOf('=');
            var key = eq < 0 ? word : word[..eq];
            var value = eq < 0 ? "" : word[(eq + 1)..];
            var error = key switch
            {
                "acceptd.mode" => Apply(ref config, "mode", value),
                "acceptd.policy" => Apply(ref config, "policy-dir", value),
                _ => $"unknown parameter '{key}' (known: acceptd.mode, acceptd.policy)",
            };
            if (error is not null) errors.Add($"kernel command line: {error}");
        }
        return errors.Count == 0 ? (config, errors) : (null, errors);
    }

    private static string? Apply(ref DaemonConfig config, string key, string value)
    {
        switch (key)
        {
            case "mode" when value is "enforce" or "permissive":
                config = config with { Mode = value == "enforce" ? EnforcementMode.Enforce : EnforcementMode.Permissive };
                return null;
            case "mode":
                return $"mode must be 'enforce' or 'permissive', not '{value}'";
            case "prebound-denied" when value is "report" or "unbind":
                config = config with { PreboundDenied = value == "report" ? PreboundDenied.Report : PreboundDenied.Unbind };
                return null;
            case "prebound-denied":
                return $"prebound-denied must be 'report' or 'unbind', not '{value}'";
            case "lock-after-coldplug" when value is "yes" or "no":
                config = config with { LockAfterColdplug = value == "yes" };
                return null;
            case "lock-after-coldplug":
                return $"lock-after-coldplug must be 'yes' or 'no', not '{value}'";
            case "state-dir" or "policy-dir" when !value.StartsWith('/'):
                return $"{key} must be an absolute path, not '{value}'";
            case "state-dir":
                config = config with { StateDirectory = value };
                return null;
            case "policy-dir":
                config = config with { ExtraPolicyDirectory = value };
                return null;
            case "measurement" when MeasurementChoice.Writers.Contains(value):
                config = config with { Measurement = config.Measurement with { Writer = value } };
                return null;
            case "measurement":
                return $"measurement must be one of {string.Join(", ", MeasurementChoice.Writers)}, not '{value}'";
            case "measurement-register" when int.TryParse(value, System.Globalization.NumberStyles.None, null, out var n) && n <= 255:
                config = config with { Measurement = config.Measurement with { Register = n } };
                return null;
            case "measurement-register":
                return $"measurement-register must be a register number, not '{value}'";
            case "measurement-log" when value.StartsWith('/'):
                config = config with { Measurement = config.Measurement with { LogPath = value } };
                return null;
            case "measurement-log":
                return $"measurement-log must be an absolute path, not '{value}'";
            case "measurement-boot-id" when value is "yes" or "no":
                config = config with { Measurement = config.Measurement with { BootId = value == "yes" } };
                return null;
            case "measurement-boot-id":
                return $"measurement-boot-id must be 'yes' or 'no', not '{value}'";
            default:
                return $"unknown key '{key}' (known: mode, prebound-denied, lock-after-coldplug, state-dir, policy-dir, measurement, measurement-register, measurement-log, measurement-boot-id)";
        }
    }

    /// <summary>A register the chosen writer cannot use (PCR 17-22, RTMR 4), or a register number left to "auto" to guess.</summary>
    private static string? RegisterRefusal(MeasurementChoice choice) => (choice.Writer, choice.Register) switch
    {
        (_, null) => null,
        ("auto", _) => "measurement-register needs measurement = rtmr, tpm or attestation-agent: with auto it is unclear which register it names",
        ("none", _) => "measurement-register is set, but measurement = none extends no register",
        ("tpm", { } n) => MeasuredRegister.Pcr(n).Refusal is { } why ? "measurement-register: " + why : null,
        ("rtmr", { } n) => MeasuredRegister.Rtmr(n).Refusal is { } why ? "measurement-register: " + why : null,
        _ => null,
    };
}
