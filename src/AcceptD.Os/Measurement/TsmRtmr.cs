using AcceptD.Core.Measurement;

namespace AcceptD.Os.Measurement;

/// <summary>
/// A TDX RTMR through tsm-mr [U v6.16]: /sys/class/misc/tdx_guest/measurements/rtmr&lt;N&gt;:sha384 reads as the
/// current 48-byte value; one write of exactly 48 bytes at offset 0 extends it (any other size or offset is EINVAL).
/// </summary>
public sealed class TsmRtmr(string root, int number) : IMeasurementRegister
{
    public const string MeasurementsDirectory = "/sys/class/misc/tdx_guest/measurements";

    public MeasuredRegister Register { get; } = MeasuredRegister.Rtmr(number);

    public string Device { get; } = $"{root.TrimEnd('/')}{MeasurementsDirectory}/rtmr{number}:sha384";

    public byte[] Read()
    {
        var value = File.ReadAllBytes(Device);
        return value.Length == 48 ? value : throw new IOException($"{Device}: read {value.Length} bytes, not 48");
    }

    public void Extend(byte[] digest)
    {
        using var handle = File.OpenHandle(Device, FileMode.Open, FileAccess.Write);
        RandomAccess.Write(handle, digest, fileOffset: 0);
    }
}
