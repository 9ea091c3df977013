using AcceptD.Core.Tdisp;
using AcceptD.Testing.TsmSimulator;

namespace AcceptD.Core.Tests.Tdisp;

public sealed class EvidenceAssemblerTests
{
    private static byte[] First(uint type, uint generation, uint length, byte[] chunk) =>
        NetlinkWire.Genl(0x1d, 2, 1, 1, NetlinkWire.U32(1, type), NetlinkWire.U32(7, generation), NetlinkWire.U32(9, length), NetlinkWire.Attr(10, chunk));

    private static byte[] More(byte[] chunk) => NetlinkWire.Genl(0x1d, 2, 1, 1, NetlinkWire.Attr(10, chunk));

    private static EvidenceResult Assemble(params byte[][] messages)
    {
        var assembler = new EvidenceAssembler(EvidenceFamily.DeviceEvidence);
        foreach (var message in NetlinkDecoder.Decode(messages.SelectMany(m => m).ToArray(), out _)) assembler.Feed(message);
        return assembler.Result!;
    }

    [Fact]
    public void Reassembles_chunked_objects_and_empty_ones()
    {
        var result = Assemble(First(0, 4, 5, [1, 2]), More([3, 4]), More([5]), First(8, 4, 0, []), First(10, 4, 1, [9]), NetlinkWire.Done(1));

        Assert.True(result.Ok, result.Message);
        Assert.Equal(4u, result.Evidence!.Generation);
        Assert.Equal([1, 2, 3, 4, 5], result.Evidence.Get(EvidenceType.Cert0).ToArray());
        Assert.True(result.Evidence.Get(EvidenceType.Vca).IsEmpty);
        Assert.Equal([9], result.Evidence.Get(EvidenceType.Report).ToArray());
    }

    [Theory]
    [MemberData(nameof(Broken))]
    public void Rejects_inconsistent_streams(byte[][] messages, int errno, string reason)
    {
        var result = Assemble(messages);

        Assert.False(result.Ok);
        Assert.Equal(errno, result.Errno);
        Assert.Contains(reason, result.Message);
    }

    public static TheoryData<byte[][], int, string> Broken => new()
    {
        { [First(0, 1, 3, [1]), NetlinkWire.Done(1)], 71, "Cert0 ended after 1 of 3 bytes" },
        { [First(0, 1, 1, [1, 2]), NetlinkWire.Done(1)], 71, "exceeds its LENGTH 1" },
        { [More([1]), NetlinkWire.Done(1)], 71, "VAL chunk outside an object" },
        { [First(0, 1, 0, []), First(9, 2, 0, []), NetlinkWire.Done(1)], 11, "generation changed from 1 to 2" },
        { [First(0, 1, 0, []), First(0, 1, 0, []), NetlinkWire.Done(1)], 71, "Cert0 sent twice" },
        { [First(11, 1, 0, []), NetlinkWire.Done(1)], 71, "without a valid TYPE" },
        { [First(0, 1, 17 << 20, []), NetlinkWire.Done(1)], 71, "exceeds 16 MiB" },
        { [NetlinkWire.Done(1)], 71, "without any object" },
        { [First(0, 1, 9, [1]), NetlinkWire.Done(1, 11, "evidence updated during read")], 11, "evidence updated during read" },
    };
}
