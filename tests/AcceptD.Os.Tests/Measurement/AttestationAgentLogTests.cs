using AcceptD.Core.Measurement;
using AcceptD.Os.Measurement.AttestationAgent;
using AcceptD.Os.Measurement.AttestationAgent.Ttrpc;

namespace AcceptD.Os.Tests.Measurement;

/// <summary>With an attestation-agent present, each event goes to ExtendRuntimeMeasurement, exactly as published.</summary>
public sealed class AttestationAgentLogTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("acceptd-aa-").FullName;
    private readonly List<string> _journal = [];

    private string Socket => Path.Combine(_dir, "attestation-agent.sock");

    [Fact]
    public void EachEventIsOneExtendRuntimeMeasurementWithTheEntryFields()
    {
        using var agent = new StandInAttestationAgent(Socket);
        var log = new AttestationAgentLog(Socket, registerIndex: 17, Path.Combine(_dir, "none"), "boot-1", _journal.Add);
        log.Record(LocalMeasurementLogTests.Accepted);
        log.Record(new TopologyEvent(TopologyEventKind.TopologyLocked, "sha384:01", null));

        Assert.Null(log.Status.Error);
        Assert.Equal(2, agent.Calls.Count);
        var (stream, service, method, first) = agent.Calls[0];
        Assert.Equal((1u, "attestation_agent.AttestationAgentService", "ExtendRuntimeMeasurement"), (stream, service, method));
        Assert.Equal("org.acceptd", first.Domain);
        Assert.Equal("device-accepted", first.Operation);
        Assert.Equal(new MeasuredEvent(1, "boot-1", "attestation-agent", LocalMeasurementLogTests.Accepted).Content, first.Content);
        Assert.Equal(17ul, first.RegisterIndex);
        Assert.Equal("topology-locked", agent.Calls[1].Request.Operation);
        Assert.Contains("\"seq\":2", agent.Calls[1].Request.Content);
    }

    [Fact]
    public void WithoutAConfiguredIndexTheAgentChoosesTheRegister()
    {
        using var agent = new StandInAttestationAgent(Socket);
        new AttestationAgentLog(Socket, registerIndex: null, Path.Combine(_dir, "none"), "boot-1", _journal.Add).Record(LocalMeasurementLogTests.Accepted);

        Assert.False(Assert.Single(agent.Calls).Request.HasRegisterIndex);
    }

    [Fact]
    public void TheSequenceContinuesFromOurEntriesInTheAgentsLog()
    {
        var agentLog = Path.Combine(_dir, "eventlog");
        File.WriteAllBytes(agentLog, [.. Tcg2Log.Header(MeasurementBank.Sha384),
            .. Tcg2Log.Event(4, MeasurementBank.Sha384, "github.com/confidential-containers PodCreated {}").Record,
            .. Tcg2Log.Event(4, MeasurementBank.Sha384, new MeasuredEvent(1, "boot-1", "attestation-agent", LocalMeasurementLogTests.Accepted).Text).Record]);
        using var agent = new StandInAttestationAgent(Socket);
        new AttestationAgentLog(Socket, null, agentLog, "boot-1", _journal.Add).Record(LocalMeasurementLogTests.Accepted);

        Assert.Contains("\"seq\":2", Assert.Single(agent.Calls).Request.Content);
    }

    [Fact]
    public void AnAgentLogThatCannotBeReadIsAnErrorStateAndNothingIsSent()
    {
        var agentLog = Path.Combine(_dir, "eventlog");
        Directory.CreateDirectory(agentLog); // not a regular file: the sequence cannot be continued from it
        using var agent = new StandInAttestationAgent(Socket);
        var log = new AttestationAgentLog(Socket, null, agentLog, "boot-1", _journal.Add);
        log.Record(LocalMeasurementLogTests.Accepted);

        Assert.StartsWith($"cannot continue the agent's log: {agentLog}", log.Status.Error);
        Assert.Empty(agent.Calls);
    }

    [Fact]
    public void AnAgentErrorIsAnErrorStateAndLaterEventsAreNotSent()
    {
        using var agent = new StandInAttestationAgent(Socket) { Answer = new Status { Code = 13, Message = "eventlog disabled" } };
        var log = new AttestationAgentLog(Socket, null, Path.Combine(_dir, "none"), "boot-1", _journal.Add);
        log.Record(LocalMeasurementLogTests.Accepted);
        log.Record(LocalMeasurementLogTests.Accepted);

        Assert.Equal("ExtendRuntimeMeasurement failed: attestation_agent.AttestationAgentService/ExtendRuntimeMeasurement: status 13: eventlog disabled",
            log.Status.Error);
        Assert.Single(agent.Calls);
    }

    [Fact]
    public void AMissingAgentIsAnErrorState()
    {
        var log = new AttestationAgentLog(Socket, null, Path.Combine(_dir, "none"), "boot-1", _journal.Add);
        log.Record(LocalMeasurementLogTests.Accepted);

        Assert.StartsWith("ExtendRuntimeMeasurement failed: ", log.Status.Error);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
