namespace AcceptD.Core.Measurement;

/// <summary>
/// Where the measurement goes and whether it works: Writer is "attestation-agent", "rtmr", "tpm" or "none";
/// Register names the register (or says there is none); Error is set once a register could not be extended or the
/// log could not be kept, and stays set: the log and the register no longer prove the topology.
/// </summary>
public sealed record MeasurementStatus(string Writer, string Register, string LogPath, string? Error)
{
    public string Summary => Error is null ? $"{Writer}: {Register}, log {LogPath}" : $"{Writer}: {Register} FAILED: {Error}";
}

/// <summary>The topology ledger's only way to measure: one call per topology event.</summary>
public interface IMeasurementLog
{
    MeasurementStatus Status { get; }

    /// <summary>Measures the event; never throws for I/O: a failure becomes <see cref="Status"/>.Error.</summary>
    void Record(TopologyEvent topologyEvent);
}
