using AcceptD.Core.Devices;
using AcceptD.Core.Tdisp;
using AcceptD.Os.Snapshot;
using AcceptD.Os.Sysfs;
using AcceptD.Os.Tsm;

namespace AcceptD.Os.Tests.Tsm;

public sealed class TsmAdapterTests
{
    private static readonly byte[] Nonce = new byte[32];

    [Fact]
    public void Finds_the_devsec_tsm_not_the_link_one()
    {
        using var rig = new TdispRig();
        rig.Kernel.AddTsm("tsm10", "devsec");

        Assert.Equal("tsm1", rig.Adapter().FindGuestTsm());
    }

    [Fact]
    public void The_inventory_names_the_tsm_the_adapter_locks_with_and_a_snapshot_records_it()
    {
        using var rig = new TdispRig();
        rig.Kernel.AddTsm("tsm10", "devsec");
        var recording = new RecordingFileView(rig.Kernel.Files);

        Assert.Equal(rig.Adapter().FindGuestTsm(), new InventoryReader(recording).Read().GuestTsm);
        Assert.Contains("/sys/class/tsm/tsm1/pci_mode", recording.Files.Keys); // dry-run --snapshot plans with the same TSM
    }

    [Fact]
    public void Observes_driver_lock_and_accept_from_sysfs()
    {
        using var rig = new TdispRig();
        var adapter = rig.Adapter();
        var device = rig.Kernel.Device(TdispRig.Bdf);

        Assert.Equal(new TdispObservation(true, null, null, false), adapter.Observe(device));
        adapter.Lock(device, "tsm1");
        adapter.Accept(device);
        adapter.Bind(device, TdispRig.Final);

        Assert.Equal(new TdispObservation(true, TdispRig.Final, "tsm1", true), adapter.Observe(device));
        Assert.True(rig.Kernel.Device(TdispRig.Bdf).TdispCapable);
    }

    [Fact]
    public void Writes_follow_the_abi_and_carry_errno()
    {
        using var rig = new TdispRig();
        var adapter = rig.Adapter();
        var device = rig.Kernel.Device(TdispRig.Bdf);

        Assert.Equal(Errno.EINVAL, Assert.Throws<SysfsWriteException>(() => adapter.Accept(device)).Errno); // accept before lock
        Assert.Equal(Errno.ENXIO, Assert.Throws<SysfsWriteException>(() => adapter.Lock(device, "tsm0")).Errno); // link TSM
        adapter.Lock(device, "tsm1");
        Assert.Equal(Errno.EBUSY, Assert.Throws<SysfsWriteException>(() => adapter.Lock(device, "tsm1")).Errno);
        Assert.Equal(Errno.EINVAL, Assert.Throws<SysfsWriteException>(() => adapter.Unlock(device, "tsm0")).Errno);
        adapter.Accept(device);
        adapter.Accept(device); // phase2: a second accept is a no-op
        adapter.Unlock(device, "tsm1");

        Assert.Equal(new TdispObservation(true, null, null, false), adapter.Observe(device));
    }

    [Fact]
    public void Reads_chunked_evidence_of_all_types()
    {
        using var rig = new TdispRig();
        rig.Kernel.ChunkSize = 100;
        var adapter = rig.Adapter();
        var device = rig.Kernel.Device(TdispRig.Bdf);
        adapter.Lock(device, "tsm1");

        var result = adapter.GetEvidence(device, Nonce);

        Assert.True(result.Ok, result.Message);
        Assert.Equal(rig.Device.Generation, result.Evidence!.Generation);
        Assert.Equal(rig.Evidence.CertChain, result.Evidence.Get(EvidenceType.Cert0).ToArray());
        Assert.Equal(rig.Evidence.Report, result.Evidence.Get(EvidenceType.Report).ToArray());
        Assert.Equal(rig.Evidence.MeasurementRecord, SpdmTranscript.Parse(result.Evidence.Get(EvidenceType.Measurements), out _)!.Response.Record);
        Assert.Equal(Nonce, SpdmTranscript.Parse(result.Evidence.Get(EvidenceType.Measurements), out _)!.RequestNonce!.Value);
        Assert.Equal(Nonce, result.Evidence.Nonce);
        Assert.Equal((0, "ok"), adapter.Validate(device, result.Evidence.Generation) with { Message = "ok" });
        Assert.Equal(Errno.EAGAIN, adapter.Validate(device, result.Evidence.Generation + 1).Errno);
    }

    [Fact]
    public void Evidence_errors_carry_errno_and_the_kernels_message()
    {
        using var rig = new TdispRig();
        var adapter = rig.Adapter();
        var device = rig.Kernel.Device(TdispRig.Bdf);

        Assert.Equal((Errno.ENODEV, "device has no evidence"), Pair(adapter.GetEvidence(device, Nonce))); // not locked yet
        adapter.Lock(device, "tsm1");
        rig.Device.NonceSupported = false;
        Assert.Equal((Errno.EOPNOTSUPP, "provider cannot refresh evidence"), Pair(adapter.GetEvidence(device, Nonce)));
        Assert.Equal((Errno.EINVAL, "nonce longer than 32 bytes"), Pair(adapter.GetEvidence(device, new byte[33])));
        Assert.True(adapter.GetEvidence(device, []).Ok); // no nonce: nothing to refresh
    }

    [Fact]
    public void Gives_up_after_three_reads_that_all_changed_midway()
    {
        using var rig = new TdispRig();
        rig.Kernel.DatagramSize = 500;
        var adapter = rig.Adapter();
        var device = rig.Kernel.Device(TdispRig.Bdf);
        adapter.Lock(device, "tsm1");
        rig.Kernel.EvidenceDisturbances = 3;

        Assert.Equal((Errno.EAGAIN, "evidence updated during read"), Pair(adapter.GetEvidence(device, Nonce)));
        Assert.True(adapter.GetEvidence(device, Nonce).Ok);
    }

    private static (int, string) Pair(EvidenceResult result) => (result.Errno, result.Message);
}
