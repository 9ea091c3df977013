namespace AcceptD.Core.Drivers;

/// <summary>
/// Driver names that modules register, for modules common in VMs whose driver is not loaded yet. modules.alias has
/// no driver names, and they often differ from the module name (virtio_pci registers "virtio-pci"). Taken from the
/// kernel sources (the .name of each struct *_driver); a name is confirmed after loading before AcceptD binds.
/// </summary>
public static class KnownDriverNames
{
    public static readonly IReadOnlyDictionary<string, string> ByModule = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["virtio_pci"] = "virtio-pci",
        ["virtio_mmio"] = "virtio-mmio",
        ["vfio_pci"] = "vfio-pci",
        ["8139cp"] = "8139cp",
        ["8139too"] = "8139too",
        ["e1000"] = "e1000",
        ["e1000e"] = "e1000e",
        ["virtio_net"] = "virtio_net",
        ["virtio_blk"] = "virtio_blk",
        ["virtio_scsi"] = "virtio_scsi",
        ["virtio_rng"] = "virtio_rng",
        ["virtio_console"] = "virtio_console",
        ["virtio_balloon"] = "virtio_balloon",
        ["9pnet_virtio"] = "9pnet_virtio",
        ["vmw_vsock_virtio_transport"] = "vmw_vsock_virtio_transport",
        ["xhci_pci"] = "xhci_hcd",
        ["ehci_pci"] = "ehci-pci",
        ["ohci_pci"] = "ohci-pci",
        ["uhci_hcd"] = "uhci_hcd",
        ["ahci"] = "ahci",
        ["ata_piix"] = "ata_piix",
        ["nvme"] = "nvme",
        ["i2c_i801"] = "i801_smbus",
        ["lpc_ich"] = "lpc_ich",
        ["bochs"] = "bochs-drm",
    };
}
