using System.Net.Sockets;
using AcceptD.Os.Measurement.AttestationAgent;
using AcceptD.Os.Measurement.AttestationAgent.Protocol;
using AcceptD.Os.Measurement.AttestationAgent.Ttrpc;
using Google.Protobuf;

namespace AcceptD.Os.Tests.Measurement;

/// <summary>
/// A stand-in for the CoCo attestation-agent's ttrpc server (no agent build runs here), written from the published
/// protobuf definitions: it accepts connections on a unix socket, reads ttrpc request frames, records every
/// (service, method, ExtendRuntimeMeasurementRequest) it is sent, and answers OK or with the status it is told to.
/// </summary>
public sealed class StandInAttestationAgent : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly Thread _thread;

    public StandInAttestationAgent(string path)
    {
        _listener.Bind(new UnixDomainSocketEndPoint(path));
        _listener.Listen();
        _thread = new Thread(Serve) { IsBackground = true };
        _thread.Start();
    }

    public List<(uint Stream, string Service, string Method, ExtendRuntimeMeasurementRequest Request)> Calls { get; } = [];

    public Status? Answer { get; set; }

    private void Serve()
    {
        try
        {
            while (true)
            {
                using var connection = _listener.Accept();
                var (stream, type, payload) = TtrpcConnection.ReadFrame(connection);
                Assert.Equal(TtrpcConnection.RequestType, type);
                var request = Request.Parser.ParseFrom(payload);
                lock (Calls) Calls.Add((stream, request.Service, request.Method, ExtendRuntimeMeasurementRequest.Parser.ParseFrom(request.Payload)));
                var response = new Response { Status = Answer ?? new Status(), Payload = new ExtendRuntimeMeasurementResponse().ToByteString() };
                TtrpcConnection.WriteFrame(connection, stream, TtrpcConnection.ResponseType, response.ToByteArray());
            }
        }
        catch (SocketException)
        {
            // the listener was closed: the test is over
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose() => _listener.Dispose();
}
