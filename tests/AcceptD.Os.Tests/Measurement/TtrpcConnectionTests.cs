using System.Net.Sockets;
using AcceptD.Os.Measurement.AttestationAgent;
using AcceptD.Os.Measurement.AttestationAgent.Protocol;

namespace AcceptD.Os.Tests.Measurement;

/// <summary>A server that answers out of protocol is refused, not believed.</summary>
public sealed class TtrpcConnectionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("acceptd-ttrpc-").FullName;

    /// <summary>Calls through a server that reads the request frame and answers with <paramref name="answer"/>'s bytes.</summary>
    private IOException CallAgainst(Action<Socket> answer)
    {
        var path = Path.Combine(_dir, "s.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen();
        var server = Task.Run(() =>
        {
            using var peer = listener.Accept();
            TtrpcConnection.ReadFrame(peer);
            answer(peer);
        });
        using var connection = new TtrpcConnection(path, TimeSpan.FromSeconds(10));
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

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
