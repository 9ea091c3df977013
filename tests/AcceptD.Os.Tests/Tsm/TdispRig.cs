using AcceptD.Core.Policy;
using AcceptD.Core.Tdisp;
using AcceptD.Os.Tsm;
using AcceptD.Testing.TsmSimulator;

namespace AcceptD.Os.Tests.Tsm;

/// <summary>A simulated guest with one TDISP device 0000:01:00.0, its devsec TSM tsm1, and three drivers.</summary>
public sealed class TdispRig : IDisposable
{
    public const string Bdf = "0000:01:00.0", Final = "devsec_pci", Prepare = "prep_fw", Rogue = "rogue";
    public SimulatedKernel Kernel { get; } = new();
    public TestDeviceEvidence Evidence { get; }

    public TdispRig(TestDeviceEvidence? evidence = null)
    {
        Kernel.AddDriver(Final, overrideOnly: true);
        Kernel.AddDriver(Prepare, overrideOnly: true, trust: "adversary");
        Kernel.AddDriver(Rogue);
        Evidence = evidence ?? Shared;
        Kernel.AddDevice(Bdf, Evidence);
    }

    /// <summary>Key generation is the slow part; most tests can share one device identity.</summary>
    public static TestDeviceEvidence Shared { get; } = TestDeviceEvidence.Create();

    public SimulatedDevice Device => Kernel[Bdf];

    public TsmAdapter Adapter() => new(Kernel.Files, Kernel, Kernel);

    /// <summary>A fresh acceptor (as after a daemon restart) on the same simulated kernel.</summary>
    public TdispOutcome Run(TdispEvidence? reference = null, string? prepare = null) =>
        new TdispAcceptor(Adapter()).Run(Kernel.Device(Bdf), reference ?? Evidence.Reference(), Final, prepare);

    /// <summary>The device is left closed: no driver, not locked, not accepted, driver_override "none".</summary>
    public void AssertFailedClosed()
    {
        Assert.Null(Device.Driver);
        Assert.Null(Device.LockedBy);
        Assert.False(Device.Accepted);
        Assert.Equal("none", Device.Override);
    }

    public void Dispose() => Kernel.Dispose();
}
