using AcceptD.Os.DBus;

namespace AcceptD.DBus.Tests.Os.DBus;

/// <summary>The start-up check that declaration and handlers match one to one.</summary>
public sealed class ExportedInterfaceTests
{
    private static readonly BusInterfaceInfo Info = new("org.example.I", [new("A", []), new("B", [])], [new("S", [])], [new("P", "s")]);

    [Fact]
    public void Names_every_member_without_handler_and_every_handler_without_member()
    {
        Assert.Equal(["method B has no handler", "handler for method C is not in the interface", "property P has no handler",
            "signal S has no handler", "handler for signal T is not in the interface"],
            ExportedInterface.Mismatches(Info, ["A", "C"], [], ["T"]));
        Assert.Empty(ExportedInterface.Mismatches(Info, ["B", "A"], ["P"], ["S"]));
    }

    [Fact]
    public void Refuses_to_build_a_vtable_that_does_not_match()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new ExportedInterface(Info,
            new Dictionary<string, BusMethodHandler> { ["A"] = (_, _) => { } }, new Dictionary<string, BusPropertyGetter>(), ["S"], _ => { }));
        Assert.Contains("method B has no handler", e.Message);
    }

    [Fact]
    public void The_acceptd_service_matches_its_declarations()
    {
        var log = new TestLog();
        // Start builds both interfaces (the one-to-one check) before any connection; an unreachable bus is fine.
        using var service = AcceptD.Daemon.Bus.GateBusService.Start(new InMemoryGate(), "unix:path=/nonexistent/bus", log.Logger);
    }
}
