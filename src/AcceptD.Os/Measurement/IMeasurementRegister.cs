using AcceptD.Core.Measurement;

namespace AcceptD.Os.Measurement;

/// <summary>A register AcceptD extends itself (when no attestation-agent owns it).</summary>
public interface IMeasurementRegister
{
    MeasuredRegister Register { get; }

    /// <summary>Where it is reached, for status ("/dev/tpmrm0", the tsm-mr file).</summary>
    string Device { get; }

    /// <exception cref="IOException">The register cannot be read.</exception>
    byte[] Read();

    /// <exception cref="IOException">The register refused the extend.</exception>
    void Extend(byte[] digest);
}
