using System.Runtime.InteropServices;
using static AcceptD.Os.Systemd.UnixDatagramNative;

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
        MakeAddress(path, out _);
        _fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (_fd < 0)
            throw Error("socket(AF_UNIX, SOCK_DGRAM)", Marshal.GetLastPInvokeError());
    }

    /// <summary>True when something (journald) receives datagrams at <paramref name="path"/>: a connect() succeeds.</summary>
    public static bool IsAvailable(string path = DefaultPath)
    {
        var length = MakeAddress(path, out var address);
        var fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
            return false;
        var connected = connect(fd, &address, length) == 0;
        Libc.Close(fd);
        return connected;
    }

    public void Send(byte[] entry)
    {
        var addressLength = MakeAddress(_path, out var address);
        nint sent;
        fixed (byte* data = entry)
            sent = sendto(_fd, data, (nuint)entry.Length, MSG_NOSIGNAL, &address, addressLength);
        if (sent >= 0)
            return;
        var errno = Marshal.GetLastPInvokeError();
        if (errno is not (EMSGSIZE or ENOBUFS))
            throw Error($"sending a journal entry to {_path}", errno);
        SendThroughMemfd(entry, &address, addressLength);
    }

    private void SendThroughMemfd(byte[] entry, SockaddrUn* address, uint addressLength)
    {
        var memfd = memfd_create("journal-entry", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        if (memfd < 0)
            throw Error("memfd_create for a large journal entry", Marshal.GetLastPInvokeError());
        try
        {
            WriteAll(memfd, entry);
            if (fcntl(memfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0)
                throw Error("sealing the journal memfd", Marshal.GetLastPInvokeError());
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
            if (sendmsg(_fd, &message, MSG_NOSIGNAL) < 0)
                throw Error($"sending a {entry.Length}-byte journal entry as memfd to {_path}", Marshal.GetLastPInvokeError());
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
                    throw Error("writing the journal memfd", Marshal.GetLastPInvokeError());
                offset += (int)written;
            }
        }
    }

    public void Dispose() => Libc.Close(_fd);
}
