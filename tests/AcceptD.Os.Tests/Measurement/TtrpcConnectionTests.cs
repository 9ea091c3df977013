using System.Net.Sockets;
using AcceptD.Os.Measurement.AttestationAgent;
using AcceptD.Os.Measurement.AttestationAgent.Protocol;

namespace AcceptD.Os.Tests.Measurement;

/// <summary>A server that answers out of protocol is refused, not believed.</summary>
public sealed class TtrpcConnectionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("acceptd-ttrpc-").FullName;

    private string SocketPath => Path.Combine(_dir, "s.sock");

    /// <summary>A unix stream socket listening at <see cref="SocketPath"/>.</summary>
    private Socket Listen()
    {
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        listener.Listen();
        return listener;
    }

    /// <summary>Calls through a server that reads the request frame and answers with <paramref name="answer"/>'s bytes.</summary>
    private IOException CallAgainst(Action<Socket> answer)
    {
        using var listener = Listen();
        var server = Task.Run(() =>
        {
            using var peer = listener.Accept();
            TtrpcConnection.ReadFrame(peer);
            answer(peer);
        });
        using var connection = new TtrpcConnection(SocketPath, TimeSpan.FromSeconds(10));
        var error = Assert.Throws<IOException>(() => connection.Call(AttestationAgentLog.Service, AttestationAgentLog.Method, new ExtendRuntimeMeasurementRequest()));
        server.Wait();
        return error;
    }

    [Fact]
    public void AResponseOnAnotherStreamIsRefused() =>
        Assert.Equal("ttrpc: expected the response of stream 1, got type 2 on stream 3",
            CallAgainst(peer => TtrpcConnection.WriteFrame(peer, 3, TtrpcConnection.ResponseType, [])).Message);

    [Fact]
    public void AnOversizedMessageIsRefusedBeforeItIsRead() =>
        Assert.Equal("ttrpc: a 4294967295-byte message exceeds the 4194304-byte limit",
            CallAgainst(peer => peer.Send([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 1, 2, 0])).Message);

    /// <summary>
    /// The request on the wire, checked byte for byte against ttrpc's PROTOCOL.md and protobuf's encoding written out
    /// here by hand (not with the client's own frame code or message types), and a response built the same way.
    /// </summary>
    [Fact]
    public async Task TheRequestIsTtrpcsWireFormatByteForByte()
    {
        using var listener = Listen();
        var received = Task.Run(() =>
        {
            using var peer = listener.Accept();
            var bytes = new List<byte>();
            var buffer = new byte[4096];
            while (bytes.Count < 10 || bytes.Count < 10 + (bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]))
                bytes.AddRange(buffer.AsSpan(0, peer.Receive(buffer)).ToArray());
            // A response on stream 1 (type 2, no flags) whose payload is Response{payload: 0xCA 0xFE}: field 2, bytes.
            peer.Send([0, 0, 0, 4, 0, 0, 0, 1, 2, 0, 0x12, 2, 0xCA, 0xFE]);
            return bytes.ToArray();
        });
        byte[] answer;
        using (var connection = new TtrpcConnection(SocketPath, TimeSpan.FromSeconds(2)))
            answer = connection.Call("svc.S", "M", new ExtendRuntimeMeasurementRequest { Domain = "d", RegisterIndex = 3 });

        // Request{service=1 "svc.S", method=2 "M", payload=3 (Domain=1 "d", RegisterIndex=4 varint 3), timeout_nano=4 varint 2e9}
        byte[] payload = [0x0a, 5, .. "svc.S"u8, 0x12, 1, (byte)'M', 0x1a, 5, 0x0a, 1, (byte)'d', 0x20, 3,
            0x20, 0x80, 0xa8, 0xd6, 0xb9, 0x07];
        byte[] header = [0, 0, 0, (byte)payload.Length, 0, 0, 0, 1, 1, 0]; // length (BE), stream 1, type 1 = request, flags 0
        var wire = await received;
        Assert.Equal([.. header, .. payload], wire);
        Assert.Equal([0xCA, 0xFE], answer);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
