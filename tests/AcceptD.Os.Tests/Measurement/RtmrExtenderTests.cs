using AcceptD.Os.Measurement;

namespace AcceptD.Os.Tests.Measurement;

public sealed class RtmrExtenderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("acceptd-rtmr-").FullName;

    [Fact]
    public void Writes_exactly_the_digest_to_the_configured_register()
    {
        Directory.CreateDirectory(_root + RtmrExtender.MeasurementsDirectory);
        var file = _root + RtmrExtender.MeasurementsDirectory + "/rtmr2:sha384";
        File.WriteAllBytes(file, []);
        var digest = Enumerable.Range(1, 48).Select(i => (byte)i).ToArray();

        Assert.True(new RtmrExtender(_root, register: 2).Extend(digest));
        Assert.Equal(digest, File.ReadAllBytes(file));
    }

    [Fact]
    public void Absent_register_is_a_no_op_logged_once()
    {
        var lines = new List<string>();
        var extender = new RtmrExtender(_root, log: lines.Add);

        Assert.False(extender.Extend(new byte[48]));
        Assert.False(extender.Extend(new byte[48]));
        Assert.Equal([$"no TDX RTMR at {_root}/sys/class/misc/tdx_guest/measurements/rtmr3:sha384: measurements are only logged"], lines);
    }

    [Fact]
    public void Refuses_anything_but_forty_eight_bytes() =>
        Assert.Throws<ArgumentException>(() => new RtmrExtender(_root).Extend(new byte[32]));

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
