using AcceptD.Core.State;

namespace AcceptD.Cli.Tests.Daemon;

/// <summary>TDISP devices in a scan that other devices share: what a failing verification must not cost the others, nor let happen.</summary>
public sealed partial class GateTdispTests
{
    private const string PlainBdf = "0000:02:00.0", PlainModule = "plain_nic";

    [Fact]
    public void A_scan_with_a_failing_TDISP_device_loads_nothing_for_it_even_on_several_workers()
    {
        WritePolicy(Good.WithFirmware("fw-2.0"));
        File.WriteAllText(Path.Combine(_policy, "40-plain.rules"), $"allow bus=pci id=8086:fffe module={PlainModule} reason=\"plain NIC\"\n");
        AddPlainDevice();
        var (gate, loader) = NewGate();
        gate.Coldplug(1);

        Assert.Equal(DeviceState.Failed, gate.Find("pci/" + Bdf)!.State);
        Assert.Equal([PlainModule], loader.Loaded); // the plain device's module only: never the failed device's
    }

    [Fact]
    public void A_TDISP_device_whose_driver_an_earlier_failing_device_shares_still_gets_its_module_loaded()
    {
        WritePolicy(Good);
        _kernel[Bdf].Evidence = Good.WithFirmware("fw-2.0"); // the first device fails its verification
        _kernel.AddDevice("0000:03:00.0", Good);
        var (gate, loader) = NewGate();
        gate.Coldplug(1);

        Assert.Equal(DeviceState.Failed, gate.Find("pci/" + Bdf)!.State);
        Assert.Equal(DeviceState.Bound, gate.Find("pci/0000:03:00.0")!.State);
        Assert.Equal([Module], loader.Loaded);
    }

    /// <summary>A second, non-TDISP device (8086:fffe) whose own module is loaded in the same scan.</summary>
    private void AddPlainDevice()
    {
        var device = _kernel.AddDevice(PlainBdf, Good);
        var dir = _kernel.Root + device.Path;
        File.WriteAllText(dir + "/device", "0xfffe\n");
        File.WriteAllText(dir + "/modalias", "pci:v00008086d0000FFFEsv00008086sd0000FFFEbc02sc00i00\n");
        var modules = _kernel.Root + "/lib/modules/6.1.0-sim";
        File.AppendAllText(modules + "/modules.alias", $"alias pci:v00008086d0000FFFEsv*sd*bc*sc*i* {PlainModule}\n");
        File.AppendAllText(modules + "/modules.dep", $"kernel/{PlainModule}.ko:\n");
    }
}
