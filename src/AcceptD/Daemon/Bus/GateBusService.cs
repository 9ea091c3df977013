using AcceptD.Core.State;
using AcceptD.Daemon.Control;
using AcceptD.Os.DBus;
using Serilog;

namespace AcceptD.Daemon.Bus;

/// <summary>
/// Serves <see cref="IGateControl"/> as org.acceptd1 (interfaces in <see cref="BusInterfaces"/>): the Manager at /org/acceptd1,
/// one Device object per device below /org/acceptd1/device. Calls run on the bus thread; gate events are posted to
/// it and become DeviceAdded/DeviceChanged/TopologyViolation plus PropertiesChanged.
/// </summary>
public sealed class GateBusService : IDisposable
{
    private readonly IGateControl gate;
    private readonly ILogger log;
    private readonly PropertyTable<DeviceRecord> deviceProperties;
    private readonly PropertyTable<GateStatus> managerProperties;
    private readonly ExportedInterface manager;
    private readonly ExportedInterface device;
    private readonly BusLoop loop;
    private readonly Timer statusPoll;
    private static readonly TimeSpan StatusPollInterval = TimeSpan.FromSeconds(1);

    // Owned by the bus thread: what the bus last announced.
    private readonly Dictionary<string, DeviceRecord> announced = [];
    private GateStatus announcedStatus;

    private GateBusService(IGateControl gate, string? busAddress, ILogger log)
    {
        this.gate = gate;
        this.log = log;
        deviceProperties = GateProperties.Device(BusInterfaces.Device);
        managerProperties = GateProperties.Manager(BusInterfaces.Manager);
        var methods = new ManagerMethods(gate, deviceProperties, AnnounceStatus);
        manager = new ExportedInterface(managerProperties.Info, methods.Handlers(), managerProperties.Getters(_ => gate.Status),
            ["DeviceAdded", "DeviceChanged", "TopologyViolation"], OnUnexpected);
        device = new ExportedInterface(deviceProperties.Info, new Dictionary<string, BusMethodHandler>(),
            deviceProperties.Getters(path => FindByPath(path) ?? throw UnknownPath(path)), [], OnUnexpected,
            new BusObjectTree(path => FindByPath(path) is not null, () => [.. gate.Devices().Select(d => PathOf(d.Key))]));
        announcedStatus = gate.Status;
        loop = new BusLoop(busAddress, Register, log);
        gate.DeviceChanged += OnDeviceChanged;
        gate.TopologyViolation += OnTopologyViolation;
        // Status changes without a device event (coldplug done, policy reloaded elsewhere) are picked up here.
        statusPoll = new Timer(_ => loop.Post(AnnounceStatus), null, StatusPollInterval, StatusPollInterval);
    }

    /// <summary>Starts serving; the D-Bus connection is made (and remade) in the background. Dispose to stop.</summary>
    public static IDisposable Start(IGateControl gate, string? busAddress, ILogger log) => new GateBusService(gate, busAddress, log);

    public static string PathOf(string deviceKey) => BusPath.Encode(BusNames.DevicePrefix, deviceKey);

    public void Dispose()
    {
        gate.DeviceChanged -= OnDeviceChanged;
        gate.TopologyViolation -= OnTopologyViolation;
        statusPoll.Dispose();
        loop.Dispose();
        manager.Dispose();
        device.Dispose();
    }

    private void Register(BusConnection bus)
    {
        bus.AddObject(BusNames.ManagerPath, manager);
        bus.AddFallback(BusNames.DevicePrefix, device);
        // Devices known at connect time are the baseline: later changes to them are DeviceChanged, new ones DeviceAdded.
        announced.Clear();
        foreach (var d in gate.Devices()) announced[d.Key] = d;
        announcedStatus = gate.Status;
        bus.RequestName(BusNames.Service);
    }

    private DeviceRecord? FindByPath(string path) =>
        BusPath.Decode(path, BusNames.DevicePrefix) is { } key && gate.Find(key) is { } d && d.Key == key ? d : null;

    private static BusErrorException UnknownPath(string path) => new(BusNames.UnknownDevice, $"no device at {path}");

    private void OnDeviceChanged(DeviceRecord record) => loop.Post(bus =>
    {
        var path = PathOf(record.Key);
        var state = record.State.Name();
        if (announced.TryGetValue(record.Key, out var before))
        {
            bus.EmitPropertiesChanged(path, BusNames.DeviceInterface, deviceProperties.Changed(before, record));
            bus.EmitSignal(BusNames.ManagerPath, BusNames.ManagerInterface, "DeviceChanged", m => m.AppendObjectPath(path).AppendString(state));
        }
        else
        {
            bus.EmitSignal(BusNames.ManagerPath, BusNames.ManagerInterface, "DeviceAdded", m => m.AppendObjectPath(path).AppendString(state));
        }
        announced[record.Key] = record;
        AnnounceStatus(bus);
    });

    private void OnTopologyViolation(DeviceRecord record) => loop.Post(bus =>
        bus.EmitSignal(BusNames.ManagerPath, BusNames.ManagerInterface, "TopologyViolation",
            m => m.AppendObjectPath(PathOf(record.Key)).AppendString(record.Reason ?? record.Error ?? "")));

    private void AnnounceStatus(BusConnection bus)
    {
        var status = gate.Status;
        bus.EmitPropertiesChanged(BusNames.ManagerPath, BusNames.ManagerInterface, managerProperties.Changed(announcedStatus, status));
        announcedStatus = status;
    }

    private void OnUnexpected(Exception e) => log.Error(e, "D-Bus: a call failed unexpectedly");
}
