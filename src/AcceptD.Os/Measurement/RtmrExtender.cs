namespace AcceptD.Os.Measurement;

/// <summary>
/// Extends a SHA-384 digest into a TDX runtime measurement register through tsm-mr [U v6.16]
/// (/sys/class/misc/tdx_guest/measurements/rtmr&lt;N&gt;:sha384: writing exactly 48 bytes at offset 0 extends it).
/// RTMR3 by default (RTMR2/3 are the OS/application registers). Outside a TDX guest it does nothing and says so once.
/// </summary>
public sealed class RtmrExtender(string root = "/", int register = 3, Action<string>? log = null)
{
    public const string MeasurementsDirectory = "/sys/class/misc/tdx_guest/measurements";
    private bool _absenceLogged;

    public string Path { get; } = $"{root.TrimEnd('/')}{MeasurementsDirectory}/rtmr{register}:sha384";

    /// <summary>True when extended; false when the register does not exist. A refused write throws IOException.</summary>
    public bool Extend(ReadOnlySpan<byte> sha384)
    {
        if (sha384.Length != 48) throw new ArgumentException($"an RTMR extends with 48 bytes, not {sha384.Length}", nameof(sha384));
        if (register is < 0 or > 3) throw new ArgumentOutOfRangeException(nameof(register), register, "TDX has RTMR0..RTMR3");
        if (!File.Exists(Path))
        {
            if (!_absenceLogged) log?.Invoke($"no TDX RTMR at {Path}: measurements are only logged");
            _absenceLogged = true;
            return false;
        }
        using var handle = File.OpenHandle(Path, FileMode.Open, FileAccess.Write);
        RandomAccess.Write(handle, sha384, 0);
        return true;
    }
}
