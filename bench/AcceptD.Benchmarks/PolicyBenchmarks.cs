using AcceptD.Core.Devices;
using AcceptD.Core.Drivers;
using AcceptD.Core.Policy;
using BenchmarkDotNet.Attributes;

namespace AcceptD.Benchmarks;

/// <summary>
/// Decisions per second for a small (10 rules) and a large (10,000 rules) policy over typical guest devices.
/// Targets: ≥ 1,000,000/s with 10 rules, ≥ 100,000/s with 10,000 rules.
/// Run: dotnet run -c Release --project bench/AcceptD.Benchmarks -- --filter '*PolicyBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser, MinColumn, MaxColumn]
public class PolicyBenchmarks
{
    private const int DeviceCount = 8;

    private PolicyEvaluator _small = null!;
    private PolicyEvaluator _large = null!;
    private DeviceFacts[] _devices = null!;

    [GlobalSetup]
    public void Setup()
    {
        _small = Evaluator(SmallPolicy);
        _large = Evaluator(LargePolicy());
        var virtioPci = new Candidate("virtio_pci", "virtio-pci", DriverNameSource.Loaded);
        _devices =
        [
            Facts(Pci("0000:00:03.0", "1af4", "1000", 0x020000), virtioPci),
            Facts(Pci("0000:01:00.0", "1af4", "1042", 0x010000), virtioPci),
            Facts(Pci("0000:00:1f.2", "8086", "2922", 0x010601), new Candidate("ahci", null, DriverNameSource.Guessed)),
            Facts(Pci("0000:00:1c.0", "1b36", "000c", 0x060400), new Candidate("pcieport", "pcieport", DriverNameSource.Loaded)),
            Facts(new Device("virtio", "virtio0", "/devices/pci0000:00/0000:00:03.0/virtio0", "virtio:d00000001v00001AF4", null, new DeviceIds("1af4", "0001")),
                new Candidate("virtio_net", "virtio_net", DriverNameSource.Learned)),
            Facts(new Device("virtio", "virtio5", "/devices/pci0000:00/0000:00:05.0/virtio5", "virtio:d00000005v00001AF4", null, new DeviceIds("1af4", "0005")),
                new Candidate("virtio_balloon", null, DriverNameSource.Guessed)),
            Facts(new Device("cpu", "cpu0", "/devices/system/cpu/cpu0", "cpu:type:x86", null, DeviceIds.None)),
            Facts(new Device("platform", "pcspkr", "/devices/platform/pcspkr", "platform:pcspkr", null, DeviceIds.None),
                new Candidate("pcspkr", null, DriverNameSource.Guessed)),
        ];
        if (_devices.Length != DeviceCount) throw new InvalidOperationException("DeviceCount is wrong");
    }

    [Benchmark(OperationsPerInvoke = DeviceCount)]
    public int Decide_10_rules() => DecideAll(_small);

    [Benchmark(OperationsPerInvoke = DeviceCount)]
    public int Decide_10000_rules() => DecideAll(_large);

    private int DecideAll(PolicyEvaluator evaluator)
    {
        var allowed = 0;
        foreach (var facts in _devices)
            if (evaluator.Decide(facts).Verdict == Verdict.Allow) allowed++;
        return allowed;
    }

    private const string SmallPolicy = """
        ignore bus=cpu reason="cpu"
        ignore bus=memory reason="memory"
        ignore bus=faux reason="faux"
        allow bus=pci id=1af4:10[0-7]? module=virtio_pci reason="transport"
        allow bus=virtio module=virtio_net reason="net"
        allow bus=virtio module=virtio_blk reason="blk"
        allow bus=virtio module=virtio_console reason="console"
        allow bus=pci class=0x060400/0xffff00 driver=pcieport reason="ports"
        ignore bus=platform prebound=yes reason="built in"
        deny bus=usb reason="no usb"
        default deny
        """;

    /// <summary>Mostly per-device rules (as generate-policy writes them), some per-id and per-bus globs, a few general ones.</summary>
    private static string LargePolicy()
    {
        var lines = new List<string>();
        for (var i = 0; i < 9000; i++)
            lines.Add($"allow bus=pci id=8086:{i % 4096:x4} name=0000:{i / 256 + 0x20:x2}:{i % 256 / 8:x2}.{i % 8} driver=e1000e");
        for (var i = 0; i < 600; i++)
            lines.Add($"deny bus=pci id=10ec:{i:x4} reason=\"realtek {i}\"");
        for (var i = 0; i < 300; i++)
            lines.Add($"deny bus=usb modalias=usb:v{i:X4}p* reason=\"usb vendor {i}\"");
        for (var i = 0; i < 90; i++)
            lines.Add($"ignore path=/devices/virtual/thing{i}/* reason=\"virtual {i}\"");
        return string.Join('\n', lines) + "\n" + SmallPolicy;
    }

    private static PolicyEvaluator Evaluator(string text)
    {
        var loaded = PolicyLoader.FromSources([("bench.rules", text)]);
        return new PolicyEvaluator(loaded.Policy ?? throw new InvalidOperationException(string.Join('\n', loaded.Diagnostics)));
    }

    private static Device Pci(string name, string vendor, string device, uint cls) =>
        new("pci", name, "/devices/pci0000:00/" + name, $"pci:v0000{vendor}d0000{device}sv*", null, new DeviceIds(vendor, device, "1af4", "0001", cls));

    private static DeviceFacts Facts(Device device, params Candidate[] candidates) =>
        new(device, [], candidates, DeviceOrigin.Coldplug, false);
}
