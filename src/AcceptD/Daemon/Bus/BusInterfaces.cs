using AcceptD.Os.DBus;

namespace AcceptD.Daemon.Bus;

/// <summary>
/// AcceptD's D-Bus interfaces, from which the sd-bus vtables are built. They are declared in code rather than read from
/// org.acceptd1.xml (next to this file, the documented interface) to keep an XML parser out of the binary; a test keeps
/// the two equal member for member, and the members follow the XML's order so introspection lists them the same way.
/// </summary>
internal static class BusInterfaces
{
    private const string Const = "const";

    public static readonly BusInterfaceInfo Manager = new(BusNames.ManagerInterface,
        [
            Method("ListDevices", In("filter", "s"), Out("devices", "a(osssss)")),
            Method("GetDevice", In("device", "s"), Out("properties", "a{sv}")),
            Method("ReloadPolicy", Out("message", "s")),
            Method("LockTopology", Out("message", "s")),
            Method("AcceptDevice", In("device", "s"), In("persistent", "b"), Out("message", "s")),
            Method("DenyDevice", In("device", "s"), In("persistent", "b"), Out("message", "s")),
            Method("GetTopology", Out("topology", "s")),
        ],
        [
            Signal("DeviceAdded", Out("path", "o"), Out("state", "s")),
            Signal("DeviceChanged", Out("path", "o"), Out("state", "s")),
            Signal("TopologyViolation", Out("path", "o"), Out("reason", "s")),
        ],
        [
            new("Version", "s", Const), new("Mode", "s"), new("DryRun", "b", Const), new("TopologyLocked", "b"),
            new("TopologyDigest", "s"), new("PolicyFiles", "as"), new("Counts", "a{su}"), new("ColdplugComplete", "b"),
            new("Warnings", "as"),
            new("Measurement", "s"),
        ]);

    public static readonly BusInterfaceInfo Device = new(BusNames.DeviceInterface, [], [],
        [
            new("Key", "s", Const), new("Bus", "s", Const), new("Name", "s", Const), new("SysPath", "s", Const),
            new("Vendor", "s", Const), new("Device", "s", Const), new("Class", "s", Const), new("Modalias", "s", Const),
            new("Driver", "s"), new("PlannedDriver", "s"), new("State", "s"), new("Verdict", "s"), new("Rule", "s"),
            new("Reason", "s"), new("Error", "s"), new("TdispState", "s"), new("EvidenceDigest", "s"),
            new("BoundBeforeStart", "b", Const), new("FirstSeen", "t", Const), new("Changed", "t"),
        ]);

    private static BusMethodInfo Method(string name, params BusArg[] args) => new(name, [.. args]);

    private static BusSignalInfo Signal(string name, params BusArg[] args) => new(name, [.. args]);

    private static BusArg In(string name, string type) => new(name, type, IsOut: false);

    /// <summary>A method result, or a signal argument (which D-Bus introspection calls "out" too).</summary>
    private static BusArg Out(string name, string type) => new(name, type, IsOut: true);
}
