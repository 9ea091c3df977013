using AcceptD.Core.State;
using AcceptD.Daemon.Control;
using AcceptD.Os.DBus;

namespace AcceptD.Daemon.Bus;

/// <summary>
/// The org.acceptd1.Manager methods over <see cref="IGateControl"/>. Reads are open to everyone; every mutation first
/// checks the caller (<see cref="PolkitAuthority"/>), then the arguments, and a refusal by the gate becomes
/// org.acceptd1.Error.Refused. <paramref name="afterMutation"/> lets the service announce the new status.
/// </summary>
internal sealed class ManagerMethods(IGateControl gate, PropertyTable<DeviceRecord> deviceProperties, Action<BusConnection> afterMutation)
{
    public IReadOnlyDictionary<string, BusMethodHandler> Handlers() => new Dictionary<string, BusMethodHandler>
    {
        ["ListDevices"] = ListDevices,
        ["GetDevice"] = (call, reply) => deviceProperties.AppendAll(reply, DeviceArgument.Resolve(gate, call.ReadString())),
        ["GetTopology"] = (_, reply) => reply.AppendString(gate.TopologyJson()),
        ["ReloadPolicy"] = Mutation(_ => gate.ReloadPolicy()),
        ["LockTopology"] = Mutation(_ => gate.LockTopology()),
        ["AcceptDevice"] = Mutation(call => DeviceDecision(call, gate.Accept)),
        ["DenyDevice"] = Mutation(call => DeviceDecision(call, gate.Deny)),
    };

    private void ListDevices(BusMessage call, BusMessage reply)
    {
        var filter = DeviceArgument.Filter(call.ReadString());
        reply.Open('a', "(osssss)");
        foreach (var d in gate.Devices(filter.Length == 0 ? null : filter))
            reply.Open('r', "osssss")
                .AppendObjectPath(GateBusService.PathOf(d.Key))
                .AppendString(d.Key)
                .AppendString(d.State.Name())
                .AppendString(d.Verdict ?? "")
                .AppendString(d.Driver ?? "")
                .AppendString(d.Rule ?? "")
                .Close();
        reply.Close();
    }

    private GateResult DeviceDecision(BusMessage call, Func<string, bool, GateResult> decide)
    {
        var device = call.ReadString();
        var persistent = call.ReadBool();
        return decide(DeviceArgument.Resolve(gate, device).Key, persistent);
    }

    private BusMethodHandler Mutation(Func<BusMessage, GateResult> apply) => (call, reply) =>
    {
        PolkitAuthority.Require(call, BusNames.ManageAction);
        var result = apply(call);
        afterMutation(BusConnection.Of(call));
        if (!result.Ok) throw new BusErrorException(BusNames.Refused, result.Message);
        reply.AppendString(result.Message);
    };
}
