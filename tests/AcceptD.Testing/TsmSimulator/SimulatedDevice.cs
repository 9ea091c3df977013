using System.Security.Cryptography;

namespace AcceptD.Testing.TsmSimulator;

/// <summary>The simulated kernel's view of one TDISP-capable PCI function.</summary>
public sealed class SimulatedDevice(string bdf, TestDeviceEvidence evidence)
{
    public string Bdf { get; } = bdf;
    public TestDeviceEvidence Evidence { get; set; } = evidence;
    public bool Present { get; set; } = true;
    public string? Driver { get; set; }
    public string? Override { get; set; }
    public string? LockedBy { get; set; }
    public bool Accepted { get; set; }
    /// <summary>TDISP ERROR: a security-relevant change while locked; only unlock leaves it.</summary>
    public bool Error { get; set; }
    /// <summary>Bumped whenever the evidence changes (lock, config change, a test's disturbance).</summary>
    public uint Generation { get; set; } = 1;
    public bool NonceSupported { get; set; } = true;
    /// <summary>False: the TSM's GET_MEASUREMENTS asks for no signature (and so carries no nonce).</summary>
    public bool SignMeasurements { get; set; } = true;
    /// <summary>True: a refresh keeps answering with the exchange collected before (a replaying TSM or host).</summary>
    public bool ReplayMeasurements { get; set; }

    /// <summary>The last GET_MEASUREMENTS exchange the TSM made; empty before the first lock.</summary>
    public byte[] Measurements { get; private set; } = [];

    public string Path => "/sys/devices/pci0000:00/" + Bdf;

    /// <summary>The TSM asks the device for signed measurements over <paramref name="nonce"/> (its own at lock time).</summary>
    public void Refresh(byte[]? nonce = null)
    {
        if (ReplayMeasurements && Measurements.Length > 0) return;
        Measurements = Evidence.Responder.Exchange(nonce ?? RandomNumberGenerator.GetBytes(32), Evidence.MeasurementRecord.AsSpan(), SignMeasurements);
    }

    /// <summary>The object of an evidence type number (kernel-interfaces.md §4.5: 9 = MEASUREMENTS).</summary>
    public byte[] Blob(uint type) => type == 9 ? Measurements : Evidence.Blob(type);
}
