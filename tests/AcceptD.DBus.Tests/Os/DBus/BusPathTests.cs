using AcceptD.Os.DBus;

namespace AcceptD.DBus.Tests.Os.DBus;

public sealed class BusPathTests
{
    [Theory]
    [InlineData("pci/0000:00:03.0", "/org/acceptd1/device/pci_2f0000_3a00_3a03_2e0")]
    [InlineData("virtio/virtio0", "/org/acceptd1/device/virtio_2fvirtio0")]
    [InlineData("../x", "/org/acceptd1/device/_2e_2e_2fx")]
    public void Encodes_device_keys_as_one_path_element_and_back(string key, string path)
    {
        Assert.Equal(path, BusPath.Encode("/org/acceptd1/device", key));
        Assert.Equal(key, BusPath.Decode(path, "/org/acceptd1/device"));
    }

    [Fact]
    public void Decode_refuses_paths_outside_the_prefix() => Assert.Null(BusPath.Decode("/org/other/x", "/org/acceptd1/device"));
}
