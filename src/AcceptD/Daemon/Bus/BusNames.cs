namespace AcceptD.Daemon.Bus;

/// <summary>Every D-Bus name AcceptD uses on the wire, in one place (the interfaces themselves are in BusInterfaces and org.acceptd1.xml).</summary>
public static class BusNames
{
    public const string Service = "org.acceptd1";
    public const string ManagerPath = "/org/acceptd1";
    public const string DevicePrefix = "/org/acceptd1/device";
    public const string ManagerInterface = "org.acceptd1.Manager";
    public const string DeviceInterface = "org.acceptd1.Device";
    public const string PropertiesInterface = "org.freedesktop.DBus.Properties";

    /// <summary>The polkit action every mutation needs (systemd/org.acceptd1.policy).</summary>
    public const string ManageAction = "org.acceptd1.manage";

    public const string UnknownDevice = "org.acceptd1.Error.UnknownDevice";
    public const string InvalidArgument = "org.acceptd1.Error.InvalidArgument";
    public const string Refused = "org.acceptd1.Error.Refused";
}
