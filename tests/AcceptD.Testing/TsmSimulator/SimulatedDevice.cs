using AcceptD.Core.Tdisp;

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

    public string Path => "/sys/devices/pci0000:00/" + Bdf;

    public byte[] Blob(EvidenceType type) => Evidence.Blob(type);
}
