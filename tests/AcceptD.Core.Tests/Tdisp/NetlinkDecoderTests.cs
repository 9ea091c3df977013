using AcceptD.Core.Tdisp;
using AcceptD.Testing.TsmSimulator;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AcceptD.Core.Tests.Tdisp;

public sealed class NetlinkDecoderTests
{
    private static NetlinkWire.Request Req(uint seq) => new(0x1d, 0x301, seq, 1, 1, []);

    [Fact]
    public void Decodes_several_messages_of_one_datagram()
    {
        byte[] datagram = [
            .. NetlinkWire.Genl(0x1d, 2, 3, 1, NetlinkWire.U32(1, 9), NetlinkWire.Attr(10, "abc"u8)),
            .. NetlinkWire.Done(3)];

        var messages = NetlinkDecoder.Decode(datagram, out var error);

        Assert.Null(error);
        var genl = Assert.IsType<GenlMessage>(messages[0]);
        Assert.Equal(9u, genl.Find(1)!.U32);
        Assert.Equal("abc"u8.ToArray(), genl.Find(10)!.Value.ToArray());
        var done = Assert.IsType<NetlinkStatus>(messages[1]);
        Assert.True(done.IsDone);
        Assert.Equal(0, done.Errno);
    }

    [Fact]
    public void Error_carries_errno_and_extended_ack()
    {
        var messages = NetlinkDecoder.Decode(NetlinkWire.Error(Req(4), 22, "missing dev-name"), out var error);

        Assert.Null(error);
        var status = Assert.IsType<NetlinkStatus>(Assert.Single(messages));
        Assert.Equal((22, "missing dev-name", 4u), (status.Errno, status.ExtAck, status.Seq));
    }

    [Fact]
    public void Done_with_error_carries_it()
    {
        var status = (NetlinkStatus)NetlinkDecoder.Decode(NetlinkWire.Done(8, 11, "evidence updated during read"), out _)[0];

        Assert.Equal((11, "evidence updated during read"), (status.Errno, status.ExtAck));
    }

    [Fact]
    public void Uncapped_error_skips_the_echoed_request()
    {
        var request = EvidenceCodec.Read(EvidenceFamily.DeviceEvidence, 0x1d, 6, "pci", "x", 1, []);
        byte[] payload = [.. BitConverter.GetBytes(-95), .. request, .. NetlinkWire.Attr(1, "no provider\0"u8)];
        var datagram = NetlinkWire.Message(NetlinkProtocol.NlmsgError, NetlinkProtocol.FlagAckTlvs, 6, payload);

        var status = (NetlinkStatus)NetlinkDecoder.Decode(datagram, out var error)[0];

        Assert.Null(error);
        Assert.Equal((95, "no provider"), (status.Errno, status.ExtAck));
    }

    [Theory]
    [InlineData("0f000000", "trailing bytes")]
    [InlineData("ff000000" + "10000200000000000000000000000000", "outside 16..")]
    [InlineData("18000000" + "1d000000" + "0000000000000000" + "01010000" + "0900" + "0100", "attribute 1 length 9")]
    public void Reports_malformed_input_without_throwing(string hex, string message)
    {
        NetlinkDecoder.Decode(Convert.FromHexString(hex[..Math.Min(hex.Length, hex.Length)]), out var error);

        Assert.Contains(message, error);
    }

    [Property(MaxTest = 2000)]
    public void Never_throws_on_arbitrary_bytes(byte[] data)
    {
        NetlinkDecoder.Decode(data, out _);
        var assembler = new EvidenceAssembler(EvidenceFamily.DeviceEvidence);
        foreach (var message in NetlinkDecoder.Decode(data, out _)) assembler.Feed(message);
    }

    [Property(MaxTest = 500)]
    public void Never_throws_on_mutated_valid_datagrams(byte[] value, int position, byte flip)
    {
        byte[] datagram = [.. NetlinkWire.Genl(0x1d, 2, 3, 1, NetlinkWire.U32(1, 9), NetlinkWire.Attr(10, value)), .. NetlinkWire.Done(3)];
        datagram[Math.Abs(position % datagram.Length)] ^= flip;
        foreach (var message in NetlinkDecoder.Decode(datagram, out _)) new EvidenceAssembler(EvidenceFamily.DeviceEvidence).Feed(message);
    }

    [Property(MaxTest = 300)]
    public Property AttributesRoundTrip(NonEmptyArray<byte[]> values) => Prop.ToProperty(RoundTrips(values.Get));

    private static bool RoundTrips(byte[][] values)
    {
        var request = new GenlRequest(0x20, 2, 1, 1, 1);
        for (var i = 0; i < values.Length; i++) request.Bytes((ushort)(i + 1), values[i].Take(1000).ToArray());
        var message = (GenlMessage)NetlinkDecoder.Decode(request.ToArray(), out var error)[0];
        return error is null && message.Attributes.Select(a => a.Value.ToArray()).Zip(values)
            .All(p => p.First.SequenceEqual(p.Second.Take(1000)));
    }
}
