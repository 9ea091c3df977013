using AcceptD.Core.Tdisp;
using AcceptD.Os.Tsm;

namespace AcceptD.Os.Tests.Tsm;

/// <summary>Against this machine's real kernel: generic netlink lookups are harmless and need no privilege.</summary>
public sealed class GenlSocketTests
{
    [Fact]
    public void Resolves_nlctrl_through_the_real_kernel()
    {
        using var socket = new GenlSocket(TimeSpan.FromSeconds(5));
        socket.Send(EvidenceCodec.GetFamily(77, "nlctrl"));

        var reply = NetlinkDecoder.Decode(socket.Receive(), out var error);

        Assert.Null(error);
        Assert.Equal(NetlinkProtocol.GenlIdCtrl, EvidenceCodec.FamilyId(reply));
        Assert.All(reply, m => Assert.Equal(77u, m.Seq));
    }

    [Fact]
    public void Unknown_family_is_enoent_with_the_kernels_own_error()
    {
        using var socket = new GenlSocket(TimeSpan.FromSeconds(5));
        socket.Send(EvidenceCodec.GetFamily(78, "acceptd-nofam"));

        var status = Assert.IsType<NetlinkStatus>(Assert.Single(NetlinkDecoder.Decode(socket.Receive(), out _)));

        Assert.Equal(2, status.Errno);
    }

    /// <summary>Family names are at most 15 bytes (GENL_NAMSIZ): "device-evidence" just fits.</summary>
    [Fact]
    public void Policy_violation_comes_with_the_kernels_extended_ack()
    {
        using var socket = new GenlSocket(TimeSpan.FromSeconds(5));
        socket.Send(EvidenceCodec.GetFamily(79, "acceptd-name-too-long"));

        var status = Assert.IsType<NetlinkStatus>(Assert.Single(NetlinkDecoder.Decode(socket.Receive(), out var error)));

        Assert.Null(error);
        Assert.Equal(22, status.Errno);
        Assert.False(string.IsNullOrEmpty(status.ExtAck));
        Assert.Equal(15, EvidenceFamily.DeviceEvidence.Name.Length);
    }

    [Fact]
    public void Adapter_on_this_kernel_looks_up_both_families_and_reports_neither()
    {
        using var rig = new TdispRig();
        using var socket = new GenlSocket(TimeSpan.FromSeconds(5));
        var adapter = new TsmAdapter(rig.Kernel.Files, rig.Kernel, socket);

        var result = adapter.GetEvidence(rig.Kernel.Device(TdispRig.Bdf), new byte[32]);

        Assert.Equal(2, result.Errno);
        Assert.Equal("no evidence netlink family: neither device-evidence nor pci-tsm is registered", result.Message);
    }

    [Fact]
    public void Receive_times_out_instead_of_hanging()
    {
        using var socket = new GenlSocket(TimeSpan.FromMilliseconds(200));

        var error = Assert.Throws<GenlTransportException>(() => socket.Receive());

        Assert.Equal(11, error.Errno); // EAGAIN: SO_RCVTIMEO expired
    }
}
