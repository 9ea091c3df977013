using AcceptD.Testing;

namespace AcceptD.Core.Tests.Testing;

public class InMemoryFileViewTests
{
    private static readonly InMemoryFileView Tree = new InMemoryFileView()
        .File("/sys/devices/pci0000:00/0000:00:03.0/modalias", "pci:v00001AF4\n")
        .Link("/sys/bus/pci/devices/0000:00:03.0", "../../../devices/pci0000:00/0000:00:03.0")
        .Link("/sys/devices/pci0000:00/0000:00:03.0/driver", "/sys/bus/pci/drivers/virtio-pci")
        .Directory("/sys/bus/pci/drivers/virtio-pci")
        .Link("/loop", "/loop");

    [Fact]
    public void Reads_files_without_the_trailing_newline() =>
        Assert.Equal("pci:v00001AF4", Tree.Read("/sys/devices/pci0000:00/0000:00:03.0/modalias"));

    [Fact]
    public void Follows_links_in_the_middle_of_a_path() =>
        Assert.Equal("pci:v00001AF4", Tree.Read("/sys/bus/pci/devices/0000:00:03.0/modalias"));

    [Fact]
    public void Reports_link_targets_as_absolute_paths()
    {
        Assert.Equal("/sys/devices/pci0000:00/0000:00:03.0", Tree.ReadLink("/sys/bus/pci/devices/0000:00:03.0"));
        Assert.Equal("/sys/bus/pci/drivers/virtio-pci", Tree.ReadLink("/sys/bus/pci/devices/0000:00:03.0/driver"));
        Assert.Null(Tree.ReadLink("/sys/devices/pci0000:00/0000:00:03.0/modalias"));
    }

    [Fact]
    public void Lists_directories_with_implicit_parents()
    {
        Assert.Equal(["devices", "drivers"], Tree.List("/sys/bus/pci"));
        Assert.Equal(["driver", "modalias"], Tree.List("/sys/bus/pci/devices/0000:00:03.0"));
        Assert.Empty(Tree.List("/nope"));
    }

    [Fact]
    public void Missing_and_looping_paths_do_not_exist()
    {
        Assert.False(Tree.Exists("/sys/nope"));
        Assert.Null(Tree.Read("/loop/x"));
        Assert.False(Tree.Exists("/loop"));
        Assert.True(Tree.Exists("/sys/bus/pci/drivers/virtio-pci"));
    }
}
