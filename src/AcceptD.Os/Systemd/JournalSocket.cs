using static AcceptD.Os.Native.LibcSocket;

namespace AcceptD.Os.Systemd;

/// <summary>
/// Sends encoded entries to journald: one datagram each, or, when the entry is too large for a datagram, a sealed
/// memfd passed with SCM_RIGHTS in an empty datagram (what sd_journal_sendv does). The socket stays unconnected so a
/// restarted journald is reached again. Thread-safe: every send is one system call on a shared fd.
/// </summary>
public sealed unsafe class JournalSocket : IDisposable
{
    public const string DefaultPath = "/run/systemd/journal/socket";

    private readonly string _path;
    private readonly int _fd;

    public JournalSocket(string path = DefaultPath)
    {
        _path = path;
        SockaddrUn.Make(path, out _);
        _fd = Socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (_fd < 0)
            throw Error("socket(AF_UNIX, SOCK_DGRAM)", Errno.Last);
    }

    /// <summary>True when something (journald) receives datagrams at <paramref name="path"/>: a connect() succeeds.</summary>
    public static bool IsAvailable(string path = DefaultPath)
    {
        var length = SockaddrUn.Make(path, out var address);
        var fd = Socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
            return false;
        var connected = Connect(fd, &address, length) == 0;
        Libc.Close(fd);
        return connected;
    }

    public void Send(byte[] entry)
    {
        var addressLength = SockaddrUn.Make(_path, out var address);
        nint sent;
        fixed (byte* data = entry)
            sent = SendTo(_fd, data, (nuint)entry.Length, MSG_NOSIGNAL, &address, addressLength);
        if (sent >= 0)
            return;
        var errno = Errno.Last;
        if (errno is not (Errno.EMSGSIZE or Errno.ENOBUFS))
            throw Error($"sending a journal entry to {_path}", errno);
        SendThroughMemfd(entry, &address, addressLength);
    }

    private void SendThroughMemfd(byte[] entry, SockaddrUn* address, uint addressLength)
    {
        var memfd = Libc.MemfdCreate("journal-entry", Libc.MFD_CLOEXEC | Libc.MFD_ALLOW_SEALING);
        if (memfd < 0)
            throw Error("memfd_create for a large journal entry", Errno.Last);
        try
        {
            WriteAll(memfd, entry);
            if (Libc.Fcntl(memfd, Libc.F_ADD_SEALS, Libc.F_SEAL_SHRINK | Libc.F_SEAL_GROW | Libc.F_SEAL_WRITE) < 0)
                throw Error("sealing the journal memfd", Errno.Last);
            var control = stackalloc byte[OneFdControlSpace];
            new Span<byte>(control, OneFdControlSpace).Clear();
            var header = (CmsgHdr*)control;
            header->Length = (nuint)OneFdControlLength;
            header->Level = SOL_SOCKET;
            header->Type = SCM_RIGHTS;
            *(int*)(control + sizeof(CmsgHdr)) = memfd;
            var message = new MsgHdr
            {
                Name = address,
                NameLength = addressLength,
                Control = control,
                ControlLength = (nuint)OneFdControlSpace,
            };
            if (SendMsg(_fd, &message, MSG_NOSIGNAL) < 0)
                throw Error($"sending a {entry.Length}-byte journal entry as memfd to {_path}", Errno.Last);
        }
        finally
        {
            Libc.Close(memfd);
        }
    }

    private static void WriteAll(int fd, byte[] bytes)
    {
        fixed (byte* start = bytes)
        {
            for (var offset = 0; offset < bytes.Length;)
            {
                var written = Libc.Write(fd, start + offset, bytes.Length - offset);
                if (written < 0)
                    throw Error("writing the journal memfd", Errno.Last);
                offset += (int)written;
            }
        }
    }

    public void Dispose() => Libc.Close(_fd);

    private static IOException Error(string what, int errno) =>
        new($"{what}: {Errno.Message(errno)} (errno {errno})") { HResult = errno };
}
