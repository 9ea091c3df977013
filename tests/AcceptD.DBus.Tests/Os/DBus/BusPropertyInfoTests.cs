using AcceptD.Os.DBus;

namespace AcceptD.DBus.Tests.Os.DBus;

public sealed class BusPropertyInfoTests
{
    [Fact]
    public void Emits_a_changed_signal_unless_told_otherwise()
    {
        Assert.Equal("true", new BusPropertyInfo("P", "s").EmitsChangedSignal);
        Assert.Equal("const", new BusPropertyInfo("P", "s", "const").EmitsChangedSignal);
    }

    [Fact]
    public void Refuses_an_emits_changed_signal_value_dbus_does_not_define()
    {
        var e = Assert.Throws<ArgumentException>(() => new BusPropertyInfo("Mode", "s", "maybe"));
        Assert.Contains("property Mode", e.Message);
        Assert.Contains("'maybe'", e.Message);
    }
}
