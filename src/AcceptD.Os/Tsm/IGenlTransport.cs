namespace AcceptD.Os.Tsm;

/// <summary>A generic netlink conversation with the kernel: send one request, receive reply datagrams one by one.</summary>
public interface IGenlTransport
{
    /// <exception cref="GenlTransportException">The socket failed.</exception>
    void Send(ReadOnlySpan<byte> request);

    /// <summary>The next datagram (one or more netlink messages).</summary>
    /// <exception cref="GenlTransportException">The socket failed or the receive timed out.</exception>
    byte[] Receive();
}

public sealed class GenlTransportException(int errno, string message) : IOException($"{message} (errno {errno})")
{
    public int Errno { get; } = errno;
}
