using AcceptD.Os.Measurement;

namespace AcceptD.Os.Tests.Measurement;

/// <summary>
/// The tsm-mr file as the kernel defines it: a write of exactly 48 bytes at offset 0 extends, a read returns 48 bytes.
/// A regular file stands in for it, so the test proves the ABI on our side: one 48-byte write at offset 0 over the old
/// value (a write elsewhere, or of another size, would leave other bytes), and a read of any other size is refused.
/// </summary>
public sealed class TsmRtmrTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("acceptd-rtmr-").FullName;

    private string Create(int number, byte[] value)
    {
        Directory.CreateDirectory(_root + TsmRtmr.MeasurementsDirectory);
        var file = $"{_root}{TsmRtmr.MeasurementsDirectory}/rtmr{number}:sha384";
        File.WriteAllBytes(file, value);
        return file;
    }

    [Fact]
    public void ExtendIsOneFortyEightByteWriteAtOffsetZero()
    {
        var file = Create(3, [.. Enumerable.Repeat((byte)0xee, 48)]);
        var digest = Enumerable.Range(1, 48).Select(i => (byte)i).ToArray();
        var rtmr = new TsmRtmr(_root, 3);

        rtmr.Extend(digest);
        Assert.Equal(digest, File.ReadAllBytes(file));
        Assert.Equal(digest, rtmr.Read());
        Assert.Equal(file, rtmr.Device);
        Assert.Equal("rtmr3", rtmr.Register.Name);
    }

    [Fact]
    public void AValueOfAnotherSizeIsNotAnRtmr()
    {
        Create(2, new byte[32]);
        Assert.Throws<IOException>(() => new TsmRtmr(_root, 2).Read());
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
