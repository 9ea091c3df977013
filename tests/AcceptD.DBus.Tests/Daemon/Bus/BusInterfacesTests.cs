using AcceptD.Daemon.Bus;
using AcceptD.Os.DBus;

namespace AcceptD.DBus.Tests.Daemon.Bus;

public sealed class BusInterfacesTests
{
    [Fact]
    public void The_declarations_equal_the_committed_xml_member_for_member()
    {
        var xml = Introspection.Committed();
        BusInterfaceInfo[] declared = [BusInterfaces.Manager, BusInterfaces.Device];
        Assert.Equal(xml.Root!.Elements("interface").Select(i => i.Attribute("name")!.Value), declared.Select(i => i.Name));
        foreach (var info in declared)
            Assert.Equal(Introspection.Members(xml, info.Name), Introspection.Members(info));
    }
}
