using System.Buffers.Binary;
using System.Net.Sockets;
using AcceptD.Os.Measurement.AttestationAgent.Ttrpc;
using Google.Protobuf;

namespace AcceptD.Os.Measurement.AttestationAgent;

/// <summary>
/// A ttrpc client on a unix socket (containerd/ttrpc PROTOCOL.md): every message is a 10-byte header — payload length
/// (uint32, big-endian), stream id (uint32; odd from the client), type (1 request, 2 response), flags — and a protobuf
/// payload (Request / Response). One stream per call; calls on a connection are sequential.
/// </summary>
public sealed class TtrpcConnection : IDisposable
{
    public const byte RequestType = 1, ResponseType = 2;
    public const int HeaderSize = 10, MaxMessage = 4 << 20; // ttrpc's own limit
    private readonly Socket _socket;
    private uint _nextStream = 1;

    public TtrpcConnection(string socketPath, TimeSpan timeout)
    {
        _socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
        {
            SendTimeout = (int)timeout.TotalMilliseconds,
            ReceiveTimeout = (int)timeout.TotalMilliseconds,
        };
        Timeout = timeout;
        _socket.Connect(new UnixDomainSocketEndPoint(socketPath));
    }

    public TimeSpan Timeout { get; }

    /// <summary>The response payload of service/method; IOException when the server answers with a non-OK status.</summary>
    public byte[] Call(string service, string method, IMessage request)
    {
        var stream = _nextStream;
        _nextStream += 2;
        var envelope = new Request { Service = service, Method = method, Payload = request.ToByteString(), TimeoutNano = (long)Timeout.TotalNanoseconds };
        WriteFrame(_socket, stream, RequestType, envelope.ToByteArray());
        var (id, type, payload) = ReadFrame(_socket);
        if (id != stream || type != ResponseType) throw new IOException($"ttrpc: expected the response of stream {stream}, got type {type} on stream {id}");
        var response = Response.Parser.ParseFrom(payload);
        if (response.Status is { Code: not 0 } status) throw new IOException($"{service}/{method}: status {status.Code}: {status.Message}");
        return response.Payload.ToByteArray();
    }

    public static void WriteFrame(Socket socket, uint stream, byte type, byte[] payload)
    {
        var frame = new byte[HeaderSize + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)payload.Length);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), stream);
        frame[8] = type;
        payload.CopyTo(frame, HeaderSize);
        socket.Send(frame);
    }

    public static (uint Stream, byte Type, byte[] Payload) ReadFrame(Socket socket)
    {
        var header = Receive(socket, HeaderSize);
        var length = BinaryPrimitives.ReadUInt32BigEndian(header);
        if (length > MaxMessage) throw new IOException($"ttrpc: a {length}-byte message exceeds the {MaxMessage}-byte limit");
        return (BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4)), header[8], Receive(socket, (int)length));
    }

    private static byte[] Receive(Socket socket, int count)
    {
        var buffer = new byte[count];
        for (var read = 0; read < count;)
        {
            var n = socket.Receive(buffer, read, count - read, SocketFlags.None);
            if (n == 0) throw new IOException("ttrpc: the connection closed mid-message");
            read += n;
        }
        return buffer;
    }

    public void Dispose() => _socket.Dispose();
}
