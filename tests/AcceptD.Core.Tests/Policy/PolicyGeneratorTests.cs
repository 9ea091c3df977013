using AcceptD.Core.Drivers;
using AcceptD.Core.Policy;
using static AcceptD.Core.Tests.Policy.PolicyTestKit;

namespace AcceptD.Core.Tests.Policy;

public class PolicyGeneratorTests
{
    [Fact]
    public void Writes_one_allow_rule_per_device_naming_its_driver()
    {
        var text = PolicyGenerator.Generate([
            (Virtio("virtio0", "0001"), Module("virtio_net")),
            (Pci("0000:00:03.0", "1af4", "1000"), Module("virtio_pci", "virtio-pci", DriverNameSource.Loaded)),
            (Plain("cpu", "cpu0"), null),
        ]);
        Assert.StartsWith(PolicyGenerator.Header, text);
        Assert.Equal(
        [
            "allow bus=cpu name=cpu0 reason=\"present when generated\"",
            "allow bus=pci id=1af4:1000 subsystem=1af4:0001 class=0x020000 name=0000:00:03.0 driver=virtio-pci reason=\"present when generated\"",
            "allow bus=virtio id=1af4:0001 name=virtio0 module=virtio_net reason=\"present when generated\"",
        ], text.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')));
    }

    [Fact]
    public void The_generated_policy_loads_and_binds_each_device_as_it_was()
    {
        var device = Pci("0000:00:04.0", "10ec", "8139");
        var cp = Module("8139cp", "8139cp", DriverNameSource.Loaded);
        var policy = Load(PolicyGenerator.Generate([(device, cp)]) + "default deny\n");
        var decision = new PolicyEvaluator(policy).Decide(Facts(device, Module("8139too", "8139too"), cp));
        Assert.Equal(Verdict.Allow, decision.Verdict);
        Assert.Equal(cp, decision.Chosen);
        Assert.Equal("present when generated", decision.Reason);
    }
}
