using AcceptD.Os.DBus;

namespace AcceptD.DBus.Tests.Os.DBus;

public sealed class IntrospectionXmlTests
{
    [Fact]
    public void Reads_the_embedded_acceptd_interfaces()
    {
        var manager = AcceptdBusXml.Interface("org.acceptd1.Manager");
        var accept = manager.Methods.Single(m => m.Name == "AcceptDevice");
        Assert.Equal("sb", accept.InSignature);
        Assert.Equal("s", accept.OutSignature);
        Assert.Equal("os", manager.Signals.Single(s => s.Name == "DeviceChanged").Signature);
        Assert.Equal("const", manager.Properties.Single(p => p.Name == "Version").EmitsChangedSignal);
        Assert.Equal("true", manager.Properties.Single(p => p.Name == "Mode").EmitsChangedSignal);
        Assert.Equal("a{su}", manager.Properties.Single(p => p.Name == "Counts").Type);
    }

    [Theory]
    [InlineData("""<property name="X" type="s" access="readwrite"/>""", "only read-only")]
    [InlineData("""<property name="X" type="s" access="read"><annotation name="org.example.Y" value="1"/></property>""", "unsupported annotation")]
    [InlineData("""<method name="M"><arg type="s" direction="in"/></method>""", "every arg needs a name")]
    [InlineData("""<property name="X" type="s" access="read"><annotation name="org.freedesktop.DBus.Property.EmitsChangedSignal" value="maybe"/></property>""", "bad")]
    public void Refuses_what_the_binding_cannot_serve(string member, string message)
    {
        var e = Assert.Throws<FormatException>(() => IntrospectionXml.Parse($"""<node><interface name="org.example.I">{member}</interface></node>"""));
        Assert.Contains(message, e.Message);
    }
}
