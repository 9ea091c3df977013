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
    private readonly IGateControl _gate;
    private readonly ILogger _log;
    private readonly PropertyTable<DeviceRecord> _deviceProperties;
    private readonly PropertyTable<GateStatus> _managerProperties;
    private readonly ExportedInterface _manager;
    private readonly ExportedInterface _device;
    private readonly BusLoop _loop;
    private readonly Timer _statusPoll;
    private static readonly TimeSpan StatusPollInterval = TimeSpan.FromSeconds(1);

    // Owned by the bus thread: what the bus last announced.
    private readonly Dictionary<string, DeviceRecord> _announced = [];
    private GateStatus _announcedStatus;

    private GateBusService(IGateControl gate, string? busAddress, ILogger log)
    {
        _gate = gate;
        _log = log;
        _deviceProperties = GateProperties.Device(BusInterfaces.Device);
        _managerProperties = GateProperties.Manager(BusInterfaces.Manager);
        var methods = new ManagerMethods(_gate, _deviceProperties, AnnounceStatus);
        _manager = new ExportedInterface(_managerProperties.Info, methods.Handlers(), _managerProperties.Getters(_ => _gate.Status),
            ["DeviceAdded", "DeviceChanged", "TopologyViolation"], OnUnexpected);
        _device = new ExportedInterface(_deviceProperties.Info, new Dictionary<string, BusMethodHandler>(),
            _deviceProperties.Getters(path => FindByPath(path) ?? throw UnknownPath(path)), [], OnUnexpected,
            new BusObjectTree(path => FindByPath(path) is not null, () => [.. _gate.Devices().Select(d => PathOf(d.Key))]));
        _announcedStatus = _gate.Status;
        _loop = new BusLoop(busAddress, Register, _log);
        _gate.DeviceChanged += OnDeviceChanged;
        _gate.TopologyViolation += OnTopologyViolation;
        // Status changes without a device event (coldplug done, policy reloaded elsewhere) are picked up here.
        _statusPoll = new Timer(_ => _loop.Post(AnnounceStatus), null, StatusPollInterval, StatusPollInterval);
    }

    /// <summary>Starts serving; the D-Bus connection is made (and remade) in the background. Dispose to stop.</summary>
    public static IDisposable Start(IGateControl gate, string? busAddress, ILogger log) => new GateBusService(gate, busAddress, log);

    public static string PathOf(string deviceKey) => BusPath.Encode(BusNames.DevicePrefix, deviceKey);

    public void Dispose()
    {
        _gate.DeviceChanged -= OnDeviceChanged;
        _gate.TopologyViolation -= OnTopologyViolation;
        _statusPoll.Dispose();
        _loop.Dispose();
        _manager.Dispose();
        _device.Dispose();
    }

    private void Register(BusConnection bus)
    {
        bus.AddObject(BusNames.ManagerPath, _manager);
        bus.AddFallback(BusNames.DevicePrefix, _device);
        // Devices known at connect time are the baseline: later changes to them are DeviceChanged, new ones DeviceAdded.
        _announced.Clear();
        foreach (var d in _gate.Devices()) _announced[d.Key] = d;
        _announcedStatus = _gate.Status;
        bus.RequestName(BusNames.Service);
    }

    private DeviceRecord? FindByPath(string path) =>
        BusPath.Decode(path, BusNames.DevicePrefix) is { } key && _gate.Find(key) is { } d && d.Key == key ? d : null;

    private static BusErrorException UnknownPath(string path) => new(BusNames.UnknownDevice, $"no _device at {path}");

    private void OnDeviceChanged(DeviceRecord record) => _loop.Post(bus =>
    {
        var path = PathOf(record.Key);
        var state = record.State.Name();
        if (_announced.TryGetValue(record.Key, out var before))
        {
            bus.EmitPropertiesChanged(path, BusNames.DeviceInterface, _deviceProperties.Changed(before, record));
            bus.EmitSignal(BusNames.ManagerPath, BusNames.ManagerInterface, "DeviceChanged", m => m.AppendObjectPath(path).AppendString(state));
        }
        else
        {
            bus.EmitSignal(BusNames.ManagerPath, BusNames.ManagerInterface, "DeviceAdded", m => m.AppendObjectPath(path).AppendString(state));
        }
        _announced[record.Key] = record;
        AnnounceStatus(bus);
    });

    private void OnTopologyViolation(DeviceRecord record) => _loop.Post(bus =>
        bus.EmitSignal(BusNames.ManagerPath, BusNames.ManagerInterface, "TopologyViolation",
            m => m.AppendObjectPath(PathOf(record.Key)).AppendString(record.Reason ?? record.Error ?? "")));

    private void AnnounceStatus(BusConnection bus)
    {
        var status = _gate.Status;
        bus.EmitPropertiesChanged(BusNames.ManagerPath, BusNames.ManagerInterface, _managerProperties.Changed(_announcedStatus, status));
        _announcedStatus = status;
    }

    private void OnUnexpected(Exception e) => _log.Error(e, "D-Bus: a call failed unexpectedly");
}
