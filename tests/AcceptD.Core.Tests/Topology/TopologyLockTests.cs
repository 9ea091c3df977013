using System.Collections.Immutable;
using AcceptD.Core.Devices;
using AcceptD.Core.Drivers;
using AcceptD.Core.Planning;
using AcceptD.Core.Policy;
using AcceptD.Core.State;
using AcceptD.Core.Topology;

namespace AcceptD.Core.Tests.Topology;

public sealed class TopologyLockTests
{
    private static readonly Device Accel = new("pci", "0000:01:00.0", "/devices/pci0000:00/0000:01:00.0", null, null, new DeviceIds("8086", "ffff"));
    private static readonly Device Nic = new("pci", "0000:00:03.0", "/devices/pci0000:00/0000:00:03.0", null, null, new DeviceIds("1af4", "1000"));
    private static readonly TopologyLock Lock = new(new TopologyRecord([TopologyEntry.From(Accel with { Driver = "devsec_pci" }, "sha384:aa"),
        TopologyEntry.From(Nic with { Driver = "virtio-pci" })]), new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
    private static readonly Candidate Final = new("devsec_pci", "devsec_pci", DriverNameSource.Loaded);
    private static readonly TdispEvidence Reference = new([new Digest("sha384", new string('a', 96))], new Digest("sha256", new string('b', 64)), null);

    /// <summary>A plan that binds <paramref name="device"/>: through both TDISP phases, or with a plain bind.</summary>
    private static BindPlan Plan(Device device, bool tdisp)
    {
        ImmutableArray<PlanStep> steps = tdisp
            ? [new AcceptTdisp(device, Reference, "test.rules:1:1", Final, true, TdispPhase.Accept), new LoadModule("devsec_pci", "devsec_pci.ko", null),
                new AcceptTdisp(device, Reference, "test.rules:1:1", Final, true, TdispPhase.Bind)]
            : [new Bind(device, Final)];
        return new BindPlan(new DeviceFacts(device, [], [Final], DeviceOrigin.Hotplug, false),
            new Decision(tdisp ? Verdict.Tdisp : Verdict.Allow, DeviceJudge.TopologyLockRule, Final, "test"), steps, DeviceState.Bound, null);
    }

    [Fact]
    public void Admits_a_locked_device_that_comes_back_unchanged_by_the_route_it_was_locked_with()
    {
        Assert.Null(Lock.Refuses(Plan(Accel, tdisp: true)));
        Assert.Null(Lock.Refuses(Plan(Nic, tdisp: false)));
    }

    [Fact]
    public void A_plan_that_binds_nothing_is_never_refused() =>
        Assert.Null(Lock.Refuses(Plan(Accel with { Name = "0000:02:00.0" }, tdisp: false) with { Steps = [] }));

    [Theory]
    [InlineData("new", "pci/0000:02:00.0 is not in the topology locked at 2026-11-23T10:00:00.0000000+00:00")]
    [InlineData("moved", "pci/0000:01:00.0 moved from /devices/pci0000:00/0000:01:00.0 to /elsewhere")]
    [InlineData("ids", "pci/0000:01:00.0 changed identity from 8086:ffff to 8086:0001")]
    [InlineData("evidence skipped", "pci/0000:01:00.0 was locked with TDISP evidence sha384:aa; it binds again only through the TDISP sequence")]
    [InlineData("evidence added", "pci/0000:00:03.0 was locked without TDISP evidence")]
    public void Refuses_any_difference_it_can_see_before_the_evidence_is_read(string change, string expected)
    {
        var plan = change switch
        {
            "new" => Plan(Accel with { Name = "0000:02:00.0" }, tdisp: true),
            "moved" => Plan(Accel with { Path = "/elsewhere" }, tdisp: true),
            "ids" => Plan(Accel with { Ids = new DeviceIds("8086", "0001") }, tdisp: true),
            "evidence skipped" => Plan(Accel, tdisp: false),
            _ => Plan(Nic, tdisp: true),
        };

        Assert.StartsWith(expected, Lock.Refuses(plan));
    }

    [Fact]
    public void Pins_both_tdisp_phases_to_the_evidence_recorded_at_the_lock()
    {
        var pinned = Lock.Pin(Plan(Accel, tdisp: true));

        Assert.All(pinned.Steps.OfType<AcceptTdisp>(), s => Assert.Equal("sha384:aa", s.LockedEvidence));
        Assert.Equal(2, pinned.Steps.OfType<AcceptTdisp>().Count());
        Assert.Contains("the evidence must be sha384:aa", pinned.Steps[0].Describe());
        Assert.Same(Plan(Nic, tdisp: false).Steps[0].GetType(), Lock.Pin(Plan(Nic, tdisp: false)).Steps[0].GetType());
    }
}
