using System.Buffers.Binary;
using AcceptD.Core.Tdisp;
using AcceptD.Testing.TsmSimulator;

namespace AcceptD.Core.Tests.Tdisp;

public sealed class SpdmCertChainTests
{
    private static readonly IReadOnlyList<byte[]> Certs = TestDeviceEvidence.Chain("Chain Test").Certificates;

    [Fact]
    public void Splits_the_chain_root_first()
    {
        var chain = SpdmCertChain.Parse(TestDeviceEvidence.ChainBlob(Certs), out var error);

        Assert.Null(error);
        Assert.Equal("sha384", chain!.RootHashAlgorithm);
        Assert.Equal(3, chain.Certificates.Length);
        Assert.Equal(Certs[2], chain.Certificates[2].ToArray());
    }

    [Fact]
    public void Rejects_a_length_that_disagrees_with_the_blob()
    {
        var blob = TestDeviceEvidence.ChainBlob(Certs);
        BinaryPrimitives.WriteUInt16LittleEndian(blob, (ushort)(blob.Length - 1));

        Assert.Null(SpdmCertChain.Parse(blob, out var error));
        Assert.Contains("differs from blob length", error);
    }

    [Fact]
    public void Rejects_a_root_hash_of_another_certificate()
    {
        var blob = TestDeviceEvidence.ChainBlob(Certs);
        blob[4] ^= 1;

        Assert.Null(SpdmCertChain.Parse(blob, out var error));
        Assert.Contains("root hash does not match the first certificate", error);
    }

    [Fact]
    public void Rejects_trailing_garbage()
    {
        var blob = TestDeviceEvidence.ChainBlob([.. Certs, [0x30, 0x05, 1]]);

        Assert.Null(SpdmCertChain.Parse(blob, out _));
    }
}
