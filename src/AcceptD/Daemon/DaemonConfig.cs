using AcceptD.Core.Boot;
using AcceptD.Core.Measurement;
using AcceptD.Core.Planning;
using AcceptD.Core.Text;
using AcceptD.Os.Files;
using AcceptD.Os.Measurement;

namespace AcceptD.Daemon;

/// <summary>What parsing the settings found: the settings (null when the file has errors), errors, and warnings.</summary>
public sealed record DaemonConfigResult(DaemonConfig? Config, IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings);

/// <summary>
/// The daemon's settings from /etc/acceptd/acceptd.conf ("key = value" lines) and the kernel command line
/// (acceptd.mode=, acceptd.policy=), which wins: it is measured into the attestation, so a relying party sees it.
/// Pure: callers pass the texts. A bad line of the file is an error naming file:line, and the daemon does not start.
/// The kernel command line never stops the daemon: it is the operator's way back from a lock-out, and autoprobe is
/// already off when it is read, so refusing to start would leave the guest without disk. Unknown acceptd.* keys
/// are warnings and ignored; a mode that is not exactly enforce/permissive means enforce (fail closed).
/// </summary>
public sealed record DaemonConfig(EnforcementMode Mode, PreboundDenied PreboundDenied, bool LockAfterColdplug, string StateDirectory,
    string? ExtraPolicyDirectory, MeasurementChoice Measurement)
{
    public static readonly DaemonConfig Default = new(EnforcementMode.Enforce, PreboundDenied.Report, false, "/run/acceptd", null, MeasurementChoice.Default);

    public const string StandardPath = "/etc/acceptd/acceptd.conf";

    /// <summary>At most this many module loads or binds at once, as udevd's children-max (two per CPU, at most 8).</summary>
    public static int DefaultWorkers => Math.Clamp(2 * Environment.ProcessorCount, 2, MaxWorkers);

    private const int MaxWorkers = 8;

    /// <summary>The "workers" key: module loads and binds carried out at once (1: one after the other).</summary>
    public int Workers { get; init; } = DefaultWorkers;

    private const string KnownKeys = "mode, prebound-denied, lock-after-coldplug, workers, state-dir, policy-dir, measurement, measurement-register, measurement-log, measurement-boot-id";

    /// <summary>
    /// Reads the configuration (bounded, regular file only) and applies the kernel command line. An explicitly named
    /// file must exist (the option checks that); the standard one may be absent.
    /// </summary>
    public static DaemonConfigResult Load(string? explicitPath, string commandLine)
    {
        var path = explicitPath is null ? StandardPath : Path.GetFullPath(explicitPath);
        var read = BoundedFile.Read(path, BoundedFile.ConfigLimit, strictUtf8: true);
        var parsed = Parse(read.Text, path, commandLine);
        return read.Error is null ? parsed : parsed with { Config = null, Errors = [read.Error] };
    }

    /// <param name="directoryExists">Checks acceptd.policy=/policy-dir: a directory that does not exist is reported, not silently skipped.</param>
    public static DaemonConfigResult Parse(string? fileText, string fileName, string commandLine, Func<string, bool>? directoryExists = null)
    {
        var config = Default;
        var errors = new List<string>();
        var warnings = new List<string>();
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        var lineNo = 0;
        foreach (var raw in (fileText ?? "").Split('\n'))
        {
            lineNo++;
            var line = raw.Split('#', 2)[0].Trim();
            if (line.Length == 0) continue;
            var eq = line.IndexOf('=');
            if (eq <= 0) { errors.Add($"{fileName}:{lineNo}: expected 'key = value', got '{Printable.Escape(line)}'"); continue; }
            var key = line[..eq].Trim();
            if (firstLine.TryGetValue(key, out var first))
            {
                errors.Add($"{fileName}:{lineNo}: duplicate key '{Printable.Escape(key)}' (first set on line {first})");
                continue;
            }
            firstLine[key] = lineNo;
            var error = Apply(ref config, key, line[(eq + 1)..].Trim());
            if (error is not null) errors.Add($"{fileName}:{lineNo}: {error}");
        }
        if (RegisterRefusal(config.Measurement) is { } refusal) errors.Add($"{fileName}: {refusal}");
        foreach (var (name, value) in KernelCommandLine.Parse(commandLine))
        {
            if (!name.StartsWith("acceptd.", StringComparison.Ordinal)) continue;
            var shown = Printable.Escape(name) + (value is null ? "" : "=" + Printable.Escape(value));
            switch (name)
            {
                case "acceptd.mode" when value is "enforce" or "permissive":
                case "acceptd.policy" when value is not null && value.StartsWith('/'):
                    Apply(ref config, name == "acceptd.mode" ? "mode" : "policy-dir", value);
                    break;
                case "acceptd.mode":
                    config = config with { Mode = EnforcementMode.Enforce };
                    warnings.Add($"kernel command line: '{shown}' is not 'enforce' or 'permissive': enforcing (fail closed)");
                    break;
                case "acceptd.policy":
                    warnings.Add($"kernel command line: '{shown}' is not an absolute directory: ignored");
                    break;
                default:
                    warnings.Add($"kernel command line: unknown parameter '{shown}' ignored (known: acceptd.mode, acceptd.policy)");
                    break;
            }
        }
        if (config.ExtraPolicyDirectory is { } extra && !(directoryExists ?? Directory.Exists)(extra))
            warnings.Add($"policy directory {Printable.Escape(extra)} (acceptd.policy= or policy-dir) does not exist: not read");
        return new DaemonConfigResult(errors.Count == 0 ? config : null, DiagnosticLimit.Cap(errors), DiagnosticLimit.Cap(warnings));
    }

    private static string? Apply(ref DaemonConfig config, string key, string value)
    {
        var shown = Printable.Escape(value);
        switch (key)
        {
            case "mode" when value is "enforce" or "permissive":
                config = config with { Mode = value == "enforce" ? EnforcementMode.Enforce : EnforcementMode.Permissive };
                return null;
            case "mode":
                return $"mode must be 'enforce' or 'permissive', not '{shown}'";
            case "prebound-denied" when value is "report" or "unbind":
                config = config with { PreboundDenied = value == "report" ? PreboundDenied.Report : PreboundDenied.Unbind };
                return null;
            case "prebound-denied":
                return $"prebound-denied must be 'report' or 'unbind', not '{shown}'";
            case "lock-after-coldplug" when value is "yes" or "no":
                config = config with { LockAfterColdplug = value == "yes" };
                return null;
            case "lock-after-coldplug":
                return $"lock-after-coldplug must be 'yes' or 'no', not '{shown}'";
            case "workers" when int.TryParse(value, System.Globalization.NumberStyles.None, null, out var w) && w is >= 1 and <= MaxWorkers:
                config = config with { Workers = w };
                return null;
            case "workers":
                return $"workers must be a number from 1 to {MaxWorkers}, not '{shown}'";
            case "state-dir" or "policy-dir" when !value.StartsWith('/'):
                return $"{key} must be an absolute path, not '{shown}'";
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
                return $"measurement must be one of {string.Join(", ", MeasurementChoice.Writers)}, not '{shown}'";
            case "measurement-register" when int.TryParse(value, System.Globalization.NumberStyles.None, null, out var n) && n <= 255:
                config = config with { Measurement = config.Measurement with { Register = n } };
                return null;
            case "measurement-register":
                return $"measurement-register must be a register number, not '{shown}'";
            case "measurement-log" when value.StartsWith('/'):
                config = config with { Measurement = config.Measurement with { LogPath = value } };
                return null;
            case "measurement-log":
                return $"measurement-log must be an absolute path, not '{shown}'";
            case "measurement-boot-id" when value is "yes" or "no":
                config = config with { Measurement = config.Measurement with { BootId = value == "yes" } };
                return null;
            case "measurement-boot-id":
                return $"measurement-boot-id must be 'yes' or 'no', not '{shown}'";
            default:
                return $"unknown key '{Printable.Escape(key)}' (known: {KnownKeys})";
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
