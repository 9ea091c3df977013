using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;

namespace AcceptD.Os.Files;

/// <summary>What reading a file gave: its text, or why not (Error names the file). Both null: the file does not exist.</summary>
public readonly record struct FileText(string? Text, string? Error)
{
    public bool Missing => Text is null && Error is null;
}

/// <summary>
/// Reads a whole file that AcceptD does not trust: only a regular file (a FIFO, a device such as /dev/zero behind
/// a symlink, or a directory is refused), opened non-blocking so a FIFO never hangs the daemon, and never more
/// than a limit per kind of file. Every refusal names the file and why.
/// </summary>
public static class BoundedFile
{
    public const int PolicyFileLimit = 1 << 20;        // the shipped policy is 5 KB
    public const int ConfigLimit = 64 << 10;           // acceptd.conf has five keys
    public const int StateLimit = 64 << 20;            // ~600 bytes per device record
    public const int CommandLineLimit = 64 << 10;      // COMMAND_LINE_SIZE is at most a few KB on every architecture
    public const int ModuleFileLimit = 64 << 20;       // modules.alias, the largest, is about 1.5 MB
    public const int EventLogLimit = 64 << 20;         // an AAEL record is about 600 bytes: 100,000 topology events
    public const int EventRecordLimit = 1 << 20;       // one write-ahead record

    /// <summary>A sysfs text attribute is at most one page (sysfs_kf_seq_show).</summary>
    public static int SysfsAttributeLimit => Environment.SystemPageSize;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The text with one trailing newline removed. <paramref name="strictUtf8"/>: invalid UTF-8 is an error, not U+FFFD.</summary>
    public static FileText Read(string path, int limit, bool strictUtf8 = false)
    {
        // Pooled: a scan reads thousands of one-page attributes, and a fresh page-sized array for each was most of
        // the daemon's garbage at start (8,000 attributes, 32 MB zeroed and collected on a 1,000-device tree).
        var (buffer, length, error) = ReadAll(path, limit, pooled: true);
        if (buffer is null) return new FileText(null, error);
        try
        {
            var text = buffer.AsSpan(0, length);
            if (text.EndsWith("\n"u8)) text = text[..^1];
            return Decode(path, text, strictUtf8);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The bytes as they are (kmod's binary indexes), or why not (Error names the file). Both null: the file does not exist.</summary>
    public static (byte[]? Bytes, string? Error) ReadBytes(string path, int limit)
    {
        var (buffer, length, error) = ReadAll(path, limit, pooled: false);
        if (buffer is not null && buffer.Length != length) Array.Resize(ref buffer, length);
        return (buffer, error);
    }

    /// <param name="pooled">The buffer comes from (and, on an error, goes back to) the shared pool; the caller returns it.</param>
    private static unsafe (byte[]? Buffer, int Length, string? Error) ReadAll(string path, int limit, bool pooled)
    {
        var fd = Libc.Open(path, Libc.O_RDONLY | Libc.O_CLOEXEC | Libc.O_NONBLOCK | Libc.O_NOCTTY);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno is Errno.ENOENT or Errno.ENOTDIR ? default : Refused(path, Marshal.GetPInvokeErrorMessage(errno));
        }
        try
        {
            var (type, size) = TypeAndSize(fd);
            if (type is not null) return Refused(path, type);
            // Sized from statx (a sysfs attribute says 4096, a module index its true size), so that a whole file is
            // read into an array of its size: a 1.2 MB modules.alias.bin is neither copied nor read in pieces. A full
            // buffer is only grown if one more byte shows the file was larger than it said.
            var buffer = Allocate((int)Math.Min(Math.Max(size, 4096L), limit + 1L), pooled);
            var length = 0;
            string? error = null;
            while (error is null)
            {
                if (length == buffer.Length)
                {
                    if (length > limit) { error = TooLargeMessage(limit); break; }
                    byte probe;
                    var more = Libc.Read(fd, &probe, 1);
                    if (more < 0) { error = Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError()); break; }
                    if (more == 0) break;
                    var larger = Allocate((int)Math.Min(limit + 1L, buffer.Length * 2L), pooled);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    Release(buffer, pooled);
                    buffer = larger;
                    buffer[length++] = probe;
                    continue;
                }
                nint n;
                fixed (byte* p = buffer) n = Libc.Read(fd, p + length, buffer.Length - length);
                if (n < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    error = errno == Errno.EAGAIN ? "would block" : Marshal.GetPInvokeErrorMessage(errno);
                }
                else if (n == 0) break;
                else length += (int)n;
            }
            if (error is null && length > limit) error = TooLargeMessage(limit);
            if (error is null) return (buffer, length, null);
            Release(buffer, pooled);
            return Refused(path, error);
        }
        finally
        {
            _ = Libc.Close(fd);
        }
    }

    private static string TooLargeMessage(int limit) => $"larger than {limit} bytes, more than any such file AcceptD reads";

    private static byte[] Allocate(int size, bool pooled) => pooled ? ArrayPool<byte>.Shared.Rent(size) : new byte[size];

    private static void Release(byte[] buffer, bool pooled)
    {
        if (pooled) ArrayPool<byte>.Shared.Return(buffer);
    }

    private static FileText Decode(string path, ReadOnlySpan<byte> text, bool strictUtf8)
    {
        if (!strictUtf8) return new FileText(Encoding.UTF8.GetString(text), null);
        try
        {
            return new FileText(StrictUtf8.GetString(text), null);
        }
        catch (DecoderFallbackException e)
        {
            var line = 1 + text[..Math.Max(0, e.Index)].Count((byte)'\n');
            return new FileText(null, $"{path}: line {line}: not valid UTF-8");
        }
    }

    /// <summary>Type: null for a regular file, else what it is instead. Size: what the file says (0 for most of /proc).</summary>
    private static unsafe (string? Type, long Size) TypeAndSize(int fd)
    {
        var statx = stackalloc byte[Libc.StatxSize];
        if (Libc.Statx(fd, "", Libc.AT_EMPTY_PATH, Libc.STATX_TYPE | Libc.STATX_SIZE, statx) != 0)
            return (Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError()), 0);
        var mode = *(ushort*)(statx + Libc.StatxModeOffset) & Libc.FileType.Mask;
        var size = *(long*)(statx + Libc.StatxSizeOffset);
        return (mode switch
        {
            Libc.FileType.Regular => null,
            Libc.FileType.Directory => "is a directory",
            Libc.FileType.Fifo => "is a FIFO, not a regular file",
            Libc.FileType.CharacterDevice or Libc.FileType.BlockDevice => "is a device, not a regular file",
            Libc.FileType.Socket => "is a socket, not a regular file",
            _ => "is not a regular file",
        }, size);
    }

    private static (byte[]?, int, string?) Refused(string path, string why) => (null, 0, $"{path}: {why}");
}
