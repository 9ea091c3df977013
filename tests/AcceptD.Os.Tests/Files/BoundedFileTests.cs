using AcceptD.Os.Files;
using AcceptD.Os.Sysfs;
using AcceptD.Testing;

namespace AcceptD.Os.Tests.Files;

/// <summary>Files that are not what they claim: FIFOs, devices behind symlinks, directories, huge and non-UTF-8 files.</summary>
public sealed class BoundedFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("acceptd-bounded-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    [Fact]
    public async Task A_fifo_is_refused_at_once_instead_of_hanging()
    {
        var fifo = PathOf("acceptd.conf");
        Assert.Equal(0, Mkfifo(fifo));
        var read = Task.Run(() => BoundedFile.Read(fifo, BoundedFile.ConfigLimit), TestContext.Current.CancellationToken);
        var result = await read.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken); // throws TimeoutException on a hang
        Assert.Equal($"{fifo}: is a FIFO, not a regular file", result.Error);
    }

    [Fact]
    public void A_symlink_to_dev_zero_is_refused_as_a_device()
    {
        var link = PathOf("state.json");
        File.CreateSymbolicLink(link, "/dev/zero");
        Assert.Equal($"{link}: is a device, not a regular file", BoundedFile.Read(link, BoundedFile.StateLimit).Error);
    }

    [Fact]
    public void A_directory_and_a_file_over_the_limit_are_refused_naming_the_file()
    {
        Directory.CreateDirectory(PathOf("x.rules"));
        Assert.Equal($"{PathOf("x.rules")}: is a directory", BoundedFile.Read(PathOf("x.rules"), BoundedFile.PolicyFileLimit).Error);

        File.WriteAllText(PathOf("big"), new string('a', 5000));
        Assert.Equal($"{PathOf("big")}: larger than 4096 bytes, more than any such file AcceptD reads", BoundedFile.Read(PathOf("big"), 4096).Error);
        File.WriteAllText(PathOf("exact"), new string('a', 4096));
        Assert.Equal(4096, BoundedFile.Read(PathOf("exact"), 4096).Text!.Length);
    }

    [Fact]
    public void Bytes_are_read_whole_and_as_they_are_within_the_limit()
    {
        byte[] bytes = [.. Enumerable.Range(0, 9000).Select(i => (byte)i), (byte)'\n'];
        File.WriteAllBytes(PathOf("modules.alias.bin"), bytes);
        Assert.Equal(bytes, BoundedFile.ReadBytes(PathOf("modules.alias.bin"), 9001).Bytes);
        Assert.Equal($"{PathOf("modules.alias.bin")}: larger than 9000 bytes, more than any such file AcceptD reads",
            BoundedFile.ReadBytes(PathOf("modules.alias.bin"), 9000).Error);
        Assert.Equal((null, null), BoundedFile.ReadBytes(PathOf("absent"), 10));
    }

    [Fact]
    public void A_file_longer_than_its_stated_size_is_read_to_its_end()
    {
        // /proc files say 0 bytes; a sysfs attribute says 4096 whatever it holds.
        var text = BoundedFile.Read("/proc/self/status", BoundedFile.CommandLineLimit).Text!;
        Assert.StartsWith("Name:", text);
        Assert.Contains("VmRSS:", text);
    }

    [Fact]
    public void Invalid_utf8_is_an_error_only_when_asked_for_strict_text()
    {
        File.WriteAllBytes(PathOf("bad.rules"), [.. "allow name=\"a"u8, 0xff, 0xfe, .. "\"\n"u8]);
        Assert.Equal($"{PathOf("bad.rules")}: line 1: not valid UTF-8", BoundedFile.Read(PathOf("bad.rules"), 1024, strictUtf8: true).Error);
        Assert.Contains('\uFFFD', BoundedFile.Read(PathOf("bad.rules"), 1024).Text!);
    }

    [Fact]
    public void A_missing_file_is_neither_text_nor_error()
    {
        Assert.True(BoundedFile.Read(PathOf("absent"), 10).Missing);
        Assert.True(BoundedFile.Read(PathOf("absent/below"), 10).Missing);
    }

    [Fact]
    public void A_sysfs_attribute_is_capped_at_one_page_and_proc_cmdline_at_its_limit()
    {
        Directory.CreateDirectory(PathOf("sys/devices/x"));
        Directory.CreateDirectory(PathOf("proc"));
        File.CreateSymbolicLink(PathOf("sys/devices/x/modalias"), "/dev/zero");
        File.WriteAllText(PathOf("sys/devices/x/vendor"), new string('1', Environment.SystemPageSize + 1));
        Assert.Equal(0, Mkfifo(PathOf("proc/cmdline")));
        var view = new DirectoryFileView(_dir);
        Assert.Null(view.Read("/sys/devices/x/modalias"));
        Assert.Null(view.Read("/sys/devices/x/vendor"));
        Assert.Contains("larger than", view.Problem("/sys/devices/x/vendor"));
        Assert.Null(view.Read("/proc/cmdline"));
        Assert.Null(view.Problem("/sys/devices/x/absent"));
    }

    private static int Mkfifo(string path) => KernelTree.Run("mkfifo", [path]).Code;
}
