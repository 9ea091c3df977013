using AcceptD.Core.Devices;
using AcceptD.Core.Drivers;
using AcceptD.Core.Policy;
using FsCheck.Xunit;
using static AcceptD.Core.Tests.Policy.PolicyTestKit;

namespace AcceptD.Core.Tests.Policy;

public class PolicyEvaluatorTests
{
    private static readonly Device RootPort = Pci("0000:00:1c.0", "1b36", "000c", 0x060400, driver: "pcieport");

    /// <summary>A hot-added modern virtio-net function behind a root port, TDISP-capable, not yet bound.</summary>
    private static readonly DeviceFacts VirtioNet = new DeviceFacts(
        Pci("0000:01:00.0", "1af4", "1041", 0x020000, subDevice: "1100", path: RootPort.Path + "/0000:01:00.0") with { TdispCapable = true },
        [RootPort],
        [Module("virtio_pci", "virtio-pci", DriverNameSource.Loaded)],
        DeviceOrigin.Hotplug,
        BoundBeforeStart: false).WithAttributes(("numa_node", "0"));

    [Theory]
    [InlineData("bus=pci", true)]
    [InlineData("bus=usb", false)]
    [InlineData("bus=p?i", true)]
    [InlineData("name=0000:01:00.0", true)]
    [InlineData("name=0000:00:*", false)]
    [InlineData("path=/devices/pci0000:00/0000:00:1c.0/*", true)]
    [InlineData("path=/devices/pci0000:00/0000:00:1d.0/*", false)]
    [InlineData("modalias=pci:v00001AF4d00001041*", true)]
    [InlineData("modalias=pci:v00008086*", false)]
    [InlineData("id=1af4:1041", true)]
    [InlineData("id=1AF4:104?", true)]
    [InlineData("id=*:1041", true)]
    [InlineData("id=1af4:1000", false)]
    [InlineData("vendor=1af4", true)]
    [InlineData("vendor=8086", false)]
    [InlineData("device=10[4-7]?", true)]
    [InlineData("device=1000", false)]
    [InlineData("subsystem=1af4:1100", true)]
    [InlineData("subsystem=1af4:0001", false)]
    [InlineData("class=0x020000", true)]
    [InlineData("class=0x020100", false)]
    [InlineData("class=0x020100/0xff0000", true)]
    [InlineData("class=0x000000/0x000000", true)]
    [InlineData("module=virtio_pci", true)]
    [InlineData("module=virtio-pci", true)]
    [InlineData("module=virtio_[a-z]ci", true)]
    [InlineData("module=virtio_net", false)]
    [InlineData("driver=virtio-pci", true)]
    [InlineData("driver=virtio*", true)]
    [InlineData("driver=virtio_pci", false)]
    [InlineData("attr{numa_node}=0", true)]
    [InlineData("attr{numa_node}=1", false)]
    [InlineData("attr{label}=*", false)]
    [InlineData("parent=0000:00:1c.0", true)]
    [InlineData("parent=pci/0000:00:1c.?", true)]
    [InlineData("parent=/devices/pci0000:00/0000:00:1c.0", true)]
    [InlineData("parent=0000:00:1d.0", false)]
    [InlineData("prebound=no", true)]
    [InlineData("prebound=yes", false)]
    [InlineData("origin=hotplug", true)]
    [InlineData("origin=coldplug", false)]
    [InlineData("tdisp=yes", true)]
    [InlineData("tdisp=no", false)]
    [InlineData("bus=pci id=1af4:1041 class=0x020000 parent=0000:00:1c.0", true)]
    [InlineData("bus=pci id=1af4:1041 class=0x030000 parent=0000:00:1c.0", false)]
    public void Each_key_matches_what_the_device_shows(string conditions, bool matches) =>
        Assert.Equal(matches ? Verdict.Allow : Verdict.Deny, Decide($"allow {conditions}\ndefault deny", VirtioNet).Verdict);

    [Fact]
    public void A_device_without_ids_or_modalias_matches_no_id_or_modalias_pattern()
    {
        var cpu = Facts(Plain("cpu", "cpu0"));
        foreach (var condition in new[] { "id=*:*", "vendor=*", "subsystem=*:*", "class=0x000000/0x000000", "modalias=*", "module=*", "driver=*", "parent=*" })
            Assert.Equal(Verdict.Ignore, Decide($"deny {condition}\ndefault ignore", cpu).Verdict);
    }

    [Fact]
    public void Driver_falls_back_to_the_module_name_when_the_driver_name_is_unknown()
    {
        var facts = Facts(Pci("0000:00:04.0", "10ec", "8139"), Module("8139cp"), Module("virtio_pci"));
        Assert.Equal(Verdict.Allow, Decide("allow driver=8139cp\ndefault deny", facts).Verdict);
        Assert.Equal(Verdict.Allow, Decide("allow driver=virtio-pci\ndefault deny", facts).Verdict);
    }

    [Fact]
    public void First_matching_rule_wins()
    {
        var decision = Decide("deny bus=usb\nignore id=1af4:*\nallow bus=pci\ndefault deny", VirtioNet);
        Assert.Equal(Verdict.Ignore, decision.Verdict);
        Assert.Equal(2, decision.Rule.Location.Line);
    }

    [Fact]
    public void The_driver_condition_selects_the_candidate_and_names_its_driver()
    {
        var facts = Facts(Pci("0000:00:04.0", "10ec", "8139"), Module("8139too", "8139too", DriverNameSource.Loaded), Module("8139cp"));
        var decision = Decide("allow id=10ec:8139 driver=8139cp\ndefault deny", facts);
        Assert.Equal(new Candidate("8139cp", "8139cp", DriverNameSource.Policy), decision.Chosen);
    }

    [Fact]
    public void Module_condition_selects_without_inventing_a_driver_name()
    {
        var facts = Facts(Pci("0000:00:04.0", "10ec", "8139"), Module("8139too"), Module("8139cp"));
        Assert.Equal(Module("8139cp"), Decide("allow module=8139cp\ndefault deny", facts).Chosen);
        Assert.Equal(Module("8139cp"), Decide("allow driver=8139c?\ndefault deny", facts).Chosen);
    }

    [Fact]
    public void A_bound_candidate_that_passes_is_preferred()
    {
        var bound = new Candidate("b", "b", DriverNameSource.Bound);
        var facts = Facts(Pci("0000:00:04.0", "10ec", "8139"), Module("a", "a"), bound);
        Assert.Equal(bound, Decide("allow module=*\ndefault deny", facts).Chosen);
        Assert.Equal(Module("a", "a"), Decide("allow module=a\ndefault deny", facts).Chosen);
    }

    [Fact]
    public void Without_selecting_conditions_the_first_candidate_is_chosen()
    {
        var facts = Facts(Pci("0000:00:04.0", "10ec", "8139"), Module("a", "a"), Module("b", "b"));
        Assert.Equal(Module("a", "a"), Decide("allow bus=pci\ndefault deny", facts).Chosen);
        Assert.Equal(Module("a", "a"), Decide("allow module=b driver=a\ndefault deny", facts).Chosen);
        var unnamed = Facts(facts.Device, Module("a"), Module("b", "b"));
        Assert.Equal(Module("a"), Decide("allow module=b driver=a\ndefault deny", unnamed).Chosen);
        Assert.Equal(Module("a", "a"), Decide("default allow", facts).Chosen);
    }

    [Fact]
    public void Only_allow_and_tdisp_choose_a_candidate()
    {
        var facts = Facts(Pci("0000:00:04.0", "10ec", "8139"), Module("a", "a"));
        Assert.Null(Decide("deny bus=pci\ndefault deny", facts).Chosen);
        Assert.Null(Decide("ignore bus=pci\ndefault deny", facts).Chosen);
        Assert.Null(Decide("allow bus=pci\ndefault deny", Facts(facts.Device)).Chosen);
        var tdisp = Decide($"tdisp bus=pci measurements=sha256:{new string('0', 64)} certroot=sha256:{new string('1', 64)}\ndefault deny", facts);
        Assert.Equal(Verdict.Tdisp, tdisp.Verdict);
        Assert.Equal(Module("a", "a"), tdisp.Chosen);
    }

    [Fact]
    public void Reason_is_the_rules_or_says_which_rule_matched()
    {
        Assert.Equal("because", Decide("allow bus=pci reason=because\ndefault deny", VirtioNet).Reason);
        Assert.Equal("matched allow rule at test.rules:2", Decide("deny bus=usb\nallow bus=pci\ndefault deny", VirtioNet).Reason);
        Assert.Equal("no rule matched: default deny at test.rules:2", Decide("deny bus=usb\ndefault deny", VirtioNet).Reason);
        Assert.Equal("no rule matched and the policy has no 'default' line", Decide("deny bus=usb", VirtioNet).Reason);
    }

    [Fact]
    public void Explain_traces_every_condition_of_every_rule_up_to_the_decision()
    {
        var policy = Load("deny bus=usb\nallow bus=pci module=virtio_pci reason=\"virtio transport\"\nignore bus=cpu\ndefault deny");
        var explanation = new PolicyEvaluator(policy).Explain(VirtioNet);
        Assert.Equal([false, true], explanation.Rules.Select(r => r.Matched));
        Assert.Equal(new ConditionTrace(new Condition(ConditionKey.Bus, "usb"), "pci", false), explanation.Rules[0].Conditions.Single());
        Assert.Equal(Verdict.Allow, explanation.Decision.Verdict);
        Assert.Equal(
            """
            device pci/0000:01:00.0 (/devices/pci0000:00/0000:00:1c.0/0000:01:00.0)
              test.rules:1: deny bus=usb
                FAIL bus: seen pci, wanted usb
              test.rules:2: allow bus=pci module=virtio_pci reason="virtio transport"  <- matches
                pass bus: seen pci, wanted pci
                pass module: seen virtio_pci, wanted virtio_pci
            decision: allow with module virtio_pci (driver virtio-pci): virtio transport
            """.ReplaceLineEndings("\n"), explanation.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Explain_shows_the_default_when_nothing_matched()
    {
        var text = new PolicyEvaluator(Load("deny bus=usb id=1234:*\ndefault ignore")).Explain(Facts(Plain("cpu", "cpu0"))).ToString();
        Assert.Contains("FAIL id: seen (none), wanted 1234:*", text);
        Assert.Contains("no rule matched; default: default ignore", text);
        Assert.EndsWith("decision: ignore: no rule matched: default ignore at test.rules:2", text);
    }

    /// <summary>The rule index must never change which rule decides: compare with the plain in-order scan of Explain.</summary>
    [Property(MaxTest = 300)]
    public bool Indexed_decisions_equal_the_first_matching_rule_in_order(int seed)
    {
        var random = new Random(seed);
        string Pick(params string[] options) => options[random.Next(options.Length)];
        var lines = Enumerable.Range(0, random.Next(1, 25)).Select(_ =>
            Pick("allow", "deny", "ignore") + Pick("", " bus=pci", " bus=virtio", " bus=p*") +
            Pick("", " name=a", " name=b", " name=?") + Pick("", " id=1af4:1000", " id=1af4:*", " id=8086:1000"));
        var parsed = PolicyParser.ParseFile("random.rules", string.Join('\n', lines));
        var evaluator = new PolicyEvaluator(new AcceptD.Core.Policy.Policy(parsed.Rules, PolicyLoader.ImplicitDefault, ["random.rules"]));
        for (var i = 0; i < 20; i++)
        {
            var ids = random.Next(3) switch { 0 => DeviceIds.None, 1 => new DeviceIds("1af4", "1000"), _ => new DeviceIds("8086", "1000") };
            var device = new Device(Pick("pci", "virtio", "usb"), Pick("a", "b", "cc"), "/devices/x", null, null, ids);
            var facts = Facts(device);
            if (evaluator.Decide(facts).Rule != evaluator.Explain(facts).Decision.Rule) return false;
        }
        return true;
    }
}
