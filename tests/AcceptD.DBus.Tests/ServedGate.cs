using AcceptD.Core.State;
using AcceptD.Daemon.Bus;

namespace AcceptD.DBus.Tests;

/// <summary>A private bus with the D-Bus service running in this process over an <see cref="InMemoryGate"/> with two devices.</summary>
public sealed class ServedGate : IDisposable
{
    public const string NetKey = "pci/0000:00:03.0", BlockKey = "pci/0000:00:04.0";
    private readonly IDisposable _service;

    public ServedGate()
    {
        Bus = new PrivateBus();
        Gate.Put(InMemoryGate.Record("pci", "0000:00:03.0"));
        Gate.Put(InMemoryGate.Record("pci", "0000:00:04.0", DeviceState.Bound, "allow"));
        _service = GateBusService.Start(Gate, Bus.Address, Log.Logger);
        try
        {
            Bus.WaitForName(BusNames.Service);
        }
        catch (TimeoutException e)
        {
            Dispose();
            throw new TimeoutException($"{e.Message}; service log:\n{Log}");
        }
    }

    public PrivateBus Bus { get; }

    public TestLog Log { get; } = new();

    public InMemoryGate Gate { get; } = new();

    public string Address => Bus.Address;

    public static string NetPath => GateBusService.PathOf(NetKey);

    /// <summary>busctl against the private bus (as nobody when asked).</summary>
    public Tools.Result Busctl(params string[] args) => Tools.Run("busctl", ["--address=" + Address, .. args]);

    public Tools.Result BusctlAsNobody(params string[] args) => Tools.Run("busctl", ["--address=" + Address, .. args], asNobody: true);

    public Tools.Result Gdbus(params string[] args) => Tools.Run("gdbus", [args[0], "--address", Address, .. args[1..]]);

    public Tools.Result GdbusAsNobody(params string[] args) => Tools.Run("gdbus", [args[0], "--address", Address, .. args[1..]], asNobody: true);

    public void Dispose()
    {
        _service.Dispose();
        Bus.Dispose();
    }
}
