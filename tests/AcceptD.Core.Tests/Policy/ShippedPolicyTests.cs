using AcceptD.Core.Devices;
using AcceptD.Core.Drivers;
using AcceptD.Core.Policy;
using AcceptD.Os.Sysfs;
using static AcceptD.Core.Tests.Policy.PolicyTestKit;

namespace AcceptD.Core.Tests.Policy;

/// <summary>The default CC policy shipped in src/AcceptD/rules.d decides typical guest devices as documented.</summary>
public class ShippedPolicyTests
{
    private static readonly PolicyLoadResult Loaded =
        PolicyLoader.Load(new DirectoryFileView("/"), [RepositoryFile("src/AcceptD/rules.d")]);

    private static readonly PolicyEvaluator Evaluator = new(Loaded.Policy!);

    private static readonly Candidate VirtioPci = Module("virtio_pci", "virtio-pci", DriverNameSource.Loaded);

    [Fact]
    public void Loads_without_any_diagnostic()
    {
        Assert.Empty(Loaded.Diagnostics);
        Assert.Equal(Verdict.Deny, Loaded.Policy!.Default.Target);
        Assert.All(Loaded.Policy.Rules.Append(Loaded.Policy.Default), r => Assert.False(string.IsNullOrWhiteSpace(r.Reason), r.Text));
    }

    public static TheoryData<string, DeviceFacts, Verdict> Devices() => new()
    {
        { "transitional virtio-net", Facts(Pci("0000:00:03.0", "1af4", "1000"), VirtioPci), Verdict.Allow },
        { "modern virtio-blk", Facts(Pci("0000:01:00.0", "1af4", "1042", 0x010000), VirtioPci), Verdict.Allow },
        { "last virtio id", Facts(Pci("0000:01:00.0", "1af4", "107f"), VirtioPci), Verdict.Allow },
        { "ivshmem is no virtio", Facts(Pci("0000:00:05.0", "1af4", "1110", 0x050000), Module("ivshmem")), Verdict.Deny },
        { "virtio id without virtio_pci", Facts(Pci("0000:00:06.0", "1af4", "1000"), Module("vfio_pci")), Verdict.Deny },
        { "AHCI", Facts(Pci("0000:00:1f.2", "8086", "2922", 0x010601), Module("ahci")), Verdict.Deny },
        { "e1000e", Facts(Pci("0000:00:02.0", "8086", "10d3"), Module("e1000e")), Verdict.Deny },
        { "xHCI", Facts(Pci("0000:00:04.0", "1b36", "000d", 0x0c0330), Module("xhci_pci")), Verdict.Deny },
        { "root port", Facts(Pci("0000:00:1c.0", "1b36", "000c", 0x060400), Module("pcieport", "pcieport", DriverNameSource.Loaded)), Verdict.Allow },
        { "host bridge", Facts(Pci("0000:00:00.0", "8086", "29c0", 0x060000)), Verdict.Deny },
        { "pciehp service", Facts(Plain("pci_express", "0000:00:1c.0:pcie004"), Module("pciehp", "pciehp", DriverNameSource.Loaded)), Verdict.Allow },
        { "AER service", Facts(Plain("pci_express", "0000:00:1c.0:pcie002"), Module("aer", "aer", DriverNameSource.Loaded)), Verdict.Deny },
        { "virtio_net device", Facts(Virtio("virtio0", "0001"), Module("virtio_net")), Verdict.Allow },
        { "virtio_blk device", Facts(Virtio("virtio1", "0002"), Module("virtio_blk")), Verdict.Allow },
        { "virtio_console device", Facts(Virtio("virtio2", "0003"), Module("virtio_console")), Verdict.Allow },
        { "9p device", Facts(Virtio("virtio3", "0009"), Module("9pnet_virtio")), Verdict.Allow },
        { "vsock device", Facts(Virtio("virtio4", "0013"), Module("vmw_vsock_virtio_transport")), Verdict.Allow },
        { "balloon", Facts(Virtio("virtio5", "0005"), Module("virtio_balloon")), Verdict.Deny },
        { "rng", Facts(Virtio("virtio6", "0004"), Module("virtio_rng")), Verdict.Deny },
        { "virtio-scsi", Facts(Virtio("virtio7", "0008"), Module("virtio_scsi")), Verdict.Deny },
        { "cpu", Facts(Plain("cpu", "cpu0")), Verdict.Ignore },
        { "memory block", Facts(Plain("memory", "memory32")), Verdict.Ignore },
        { "faux", Facts(Plain("faux", "reg-dummy")), Verdict.Ignore },
        { "clocksource", Facts(Plain("clocksource", "clocksource0")), Verdict.Ignore },
        { "serial-base", Facts(Plain("serial-base", "serial8250:0")), Verdict.Ignore },
        { "virtio-mmio", Facts(Plain("platform", "LNRO0005:00", modalias: "acpi:LNRO0005:"), Module("virtio_mmio")), Verdict.Allow },
        { "pre-bound serial console", Facts(Plain("pnp", "00:03", "serial")) with { BoundBeforeStart = true }, Verdict.Ignore },
        { "pre-bound i8042", Facts(Plain("platform", "i8042", "i8042")) with { BoundBeforeStart = true }, Verdict.Ignore },
        { "pre-bound keyboard", Facts(Plain("serio", "serio0", "atkbd")) with { BoundBeforeStart = true }, Verdict.Ignore },
        { "unbound ACPI device", Facts(Plain("acpi", "PNP0C0C:00", modalias: "acpi:PNP0C0C:"), Module("button")), Verdict.Deny },
        { "unbound platform device", Facts(Plain("platform", "pcspkr", modalias: "platform:pcspkr"), Module("pcspkr")), Verdict.Deny },
        { "usb device", Facts(Plain("usb", "1-1"), Module("usb_storage")), Verdict.Deny },
    };

    [Theory]
    [MemberData(nameof(Devices))]
    public void Decides_typical_guest_devices(string what, DeviceFacts facts, Verdict expected) =>
        Assert.True(expected == Evaluator.Decide(facts).Verdict, $"{what}: {Evaluator.Explain(facts)}");

    [Fact]
    public void Binds_the_virtio_transport_to_virtio_pci_even_when_another_module_is_listed_first()
    {
        var facts = Facts(Pci("0000:00:03.0", "1af4", "1000"), Module("virtio_pci_legacy_dev"), VirtioPci);
        Assert.Equal(VirtioPci, Evaluator.Decide(facts).Chosen);
    }
}
