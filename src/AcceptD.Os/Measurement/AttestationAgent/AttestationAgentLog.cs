using System.Net.Sockets;
using AcceptD.Core.Measurement;
using AcceptD.Os.Files;
using AcceptD.Os.Measurement.AttestationAgent.Protocol;

namespace AcceptD.Os.Measurement.AttestationAgent;

/// <summary>
/// The CoCo attestation-agent owns the register and its log (Trustee replays that log against RTMR3, so any extend
/// missing from it breaks every attestation): AcceptD only hands each entry to ExtendRuntimeMeasurement and never
/// writes the register. The sequence continues from AcceptD's entries already in the agent's log (readable by root).
/// </summary>
public sealed class AttestationAgentLog : IMeasurementLog
{
    public const string DefaultSocket = "/run/confidential-containers/attestation-agent/attestation-agent.sock";
    public const string DefaultLog = "/run/attestation-agent/eventlog";
    public const string Service = "attestation_agent.AttestationAgentService", Method = "ExtendRuntimeMeasurement";
    private readonly string _socket;
    private readonly ulong? _registerIndex;
    private readonly string? _bootId;
    private readonly Action<string> _journal;
    private long _nextSeq;

    public AttestationAgentLog(string socket, ulong? registerIndex, string agentLog, string? bootId, Action<string> journal)
    {
        _socket = socket;
        _registerIndex = registerIndex;
        _bootId = bootId;
        _journal = journal;
        // AcceptD's entries already in the agent's log: the sequence goes on from there. A log that cannot be read
        // leaves the sequence unknown, so nothing is sent (an error state) rather than entries a verifier would refuse.
        var (bytes, error) = BoundedFile.ReadBytes(agentLog, BoundedFile.EventLogLimit);
        var existing = bytes is null ? [] : Tcg2Log.Read(bytes).Events;
        _nextSeq = existing.Count(e => Tcg2Log.AaelText(e.Data)?.StartsWith(MeasuredEvent.Domain + " ", StringComparison.Ordinal) == true) + 1;
        Status = new MeasurementStatus("attestation-agent",
            $"register {(registerIndex is { } i ? i.ToString() : "of the agent's choice")} via {socket}", agentLog,
            error is null ? null : $"cannot continue the agent's log: {error}");
        journal($"measurement: {Status.Summary}; AcceptD never extends the register itself");
    }

    public MeasurementStatus Status { get; private set; }

    public void Record(TopologyEvent topologyEvent)
    {
        if (Status.Error is not null)
        {
            _journal($"not measured ({Status.Error}): {topologyEvent.Operation} {topologyEvent.TopologyDigest}");
            return;
        }
        var entry = new MeasuredEvent(_nextSeq, _bootId, "attestation-agent", topologyEvent);
        var request = new ExtendRuntimeMeasurementRequest { Domain = MeasuredEvent.Domain, Operation = topologyEvent.Operation, Content = entry.Content };
        if (_registerIndex is { } index) request.RegisterIndex = index;
        try
        {
            using var connection = new TtrpcConnection(_socket, TimeSpan.FromSeconds(10));
            connection.Call(Service, Method, request);
            _nextSeq++;
        }
        catch (Exception e) when (e is IOException or SocketException or Google.Protobuf.InvalidProtocolBufferException)
        {
            Status = Status with { Error = $"ExtendRuntimeMeasurement failed: {e.Message}" };
            _journal("measurement failed: " + Status.Error);
        }
    }
}
