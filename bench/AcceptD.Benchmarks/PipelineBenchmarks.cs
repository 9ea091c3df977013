using System.Text;
using AcceptD.Core.Devices;
using AcceptD.Core.Drivers;
using AcceptD.Core.Planning;
using AcceptD.Core.Policy;
using AcceptD.Core.Uevents;
using AcceptD.Testing;
using BenchmarkDotNet.Attributes;

namespace AcceptD.Benchmarks;

/// <summary>
/// The daemon's per-event work without I/O: parse a raw uevent, resolve candidates, decide, plan.
/// Target: ≥ 200,000 events/s. One operation = one event.
/// </summary>
[MemoryDiagnoser]
public class PipelineBenchmarks
{
    private byte[][] _messages = [];
    private Dictionary<string, Device> _devices = [];
    private DeviceJudge _judge = null!;
    private DeviceTree _tree = DeviceTree.Empty;

    [GlobalSetup]
    public void Setup()
    {
        var modules = ModuleIndex.Load(new InMemoryFileView()
            .File("/m/modules.alias", "alias pci:v00001AF4d*sv*sd*bc*sc*i* virtio_pci\nalias pci:v00008086d0000100Esv*sd*bc*sc*i* e1000\n")
            .File("/m/modules.dep", "kernel/virtio_pci.ko: kernel/virtio.ko\nkernel/virtio.ko:\nkernel/e1000.ko:\n"), "/m");
        var devices = new List<Device>();
        var messages = new List<byte[]>();
        for (var i = 0; i < 64; i++)
        {
            var (vendor, device) = i % 2 == 0 ? ("1af4", "1000") : ("8086", "100e");
            var name = $"0000:01:{i:x2}.0";
            var path = "/devices/pci0000:00/0000:00:10.0/" + name;
            var modalias = $"pci:v0000{vendor.ToUpperInvariant()}d0000{device.ToUpperInvariant()}sv00001AF4sd00000001bc02sc00i00";
            devices.Add(new Device("pci", name, path, modalias, null, new DeviceIds(vendor, device), null, true));
            messages.Add(Encoding.UTF8.GetBytes(string.Join('\0', $"add@{path}", "ACTION=add", $"DEVPATH={path}", "SUBSYSTEM=pci",
                $"MODALIAS={modalias}", $"PCI_SLOT_NAME={name}", $"SEQNUM={1000 + i}") + "\0"));
        }
        _messages = [.. messages];
        _devices = devices.ToDictionary(d => d.Path);
        _tree = new DeviceTree(devices);
        var inventory = new Inventory(_tree, [], DriverCatalog.Empty, []);
        var policy = PolicyLoader.FromSources([("bench.rules",
            "allow bus=pci id=1af4:10[0-7]? module=virtio_pci reason=\"virtio\"\nignore bus=cpu\ndefault deny reason=\"not hardened\"\n")]).Policy!;
        _judge = new DeviceJudge(new PolicyEvaluator(policy), new DriverResolver(modules, inventory.Drivers),
            new Planner(modules, inventory, new PlannerOptions()));
    }

    [Benchmark(OperationsPerInvoke = 64)]
    public int ParseDecidePlan()
    {
        var steps = 0;
        foreach (var message in _messages)
        {
            var ev = UeventParser.Parse(message).Event!;
            var device = _devices[ev.DevPath];
            steps += _judge.Judge(_judge.Facts(device, _tree, DeviceOrigin.Hotplug, false)).Steps.Length;
        }
        return steps;
    }
}
