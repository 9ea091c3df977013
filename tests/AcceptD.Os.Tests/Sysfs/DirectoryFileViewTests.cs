using AcceptD.Os.Sysfs;

namespace AcceptD.Os.Tests.Sysfs;

public sealed class DirectoryFileViewTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("acceptd-view-").FullName;
    private readonly DirectoryFileView _view;

    public DirectoryFileViewTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "sys/devices/pci0000:00/0000:00:01.0"));
        Directory.CreateDirectory(Path.Combine(_root, "sys/bus/pci/devices"));
        _view = new DirectoryFileView(_root);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_root + path)!);
        File.WriteAllText(_root + path, text);
    }

    [Fact]
    public void Read_drops_one_trailing_newline()
    {
        Write("/sys/devices/pci0000:00/0000:00:01.0/vendor", "0x1af4\n");
        Write("/sys/devices/pci0000:00/0000:00:01.0/empty", "");
        Write("/sys/devices/pci0000:00/0000:00:01.0/two", "a\n\n");

        Assert.Equal("0x1af4", _view.Read("/sys/devices/pci0000:00/0000:00:01.0/vendor"));
        Assert.Equal("", _view.Read("/sys/devices/pci0000:00/0000:00:01.0/empty"));
        Assert.Equal("a\n", _view.Read("/sys/devices/pci0000:00/0000:00:01.0/two"));
    }

    [Fact]
    public void Reads_module_files_larger_than_one_page_but_no_sysfs_attribute()
    {
        var text = string.Concat(Enumerable.Range(0, 3000).Select(i => $"alias pci:v{i:X8}d* m{i}\n"));
        Write("/lib/modules/6.1.0/modules.alias", text);
        Write("/sys/big", text);

        Assert.Equal(text[..^1], _view.Read("/lib/modules/6.1.0/modules.alias"));
        Assert.Null(_view.Read("/sys/big")); // a sysfs attribute is at most one page: this is not one
    }

    [Fact]
    public void Read_of_a_missing_file_or_a_directory_is_null()
    {
        Assert.Null(_view.Read("/sys/devices/pci0000:00/0000:00:01.0/missing"));
        Assert.Null(_view.Read("/sys/devices/pci0000:00"));
    }

    [Fact]
    public void Read_link_resolves_relative_and_rooted_targets_inside_the_root()
    {
        File.CreateSymbolicLink(_root + "/sys/bus/pci/devices/0000:00:01.0", "../../../devices/pci0000:00/0000:00:01.0");
        File.CreateSymbolicLink(_root + "/sys/bus/pci/devices/rooted", _root + "/sys/devices/pci0000:00/0000:00:01.0");

        Assert.Equal("/sys/devices/pci0000:00/0000:00:01.0", _view.ReadLink("/sys/bus/pci/devices/0000:00:01.0"));
        Assert.Equal("/sys/devices/pci0000:00/0000:00:01.0", _view.ReadLink("/sys/bus/pci/devices/rooted"));
    }

    [Fact]
    public void Read_link_of_a_file_or_a_missing_path_is_null()
    {
        Write("/sys/bus/pci/devices/plain", "x");

        Assert.Null(_view.ReadLink("/sys/bus/pci/devices/plain"));
        Assert.Null(_view.ReadLink("/sys/bus/pci/devices/missing/driver"));
    }
}
