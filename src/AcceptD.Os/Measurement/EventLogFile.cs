using AcceptD.Core.Measurement;
using AcceptD.Os.Files;

using Microsoft.Win32.SafeHandles;

namespace AcceptD.Os.Measurement;

/// <summary>
/// The TCG2 event log on disk and its write-ahead entry (".wal_event_entry" beside it, as the attestation-agent keeps
/// one): the entry is written there (atomically, by rename) before the register is extended, and removed only after
/// it was appended to the log, so a crash at any point leaves enough to reconcile. Every change holds flock on the log.
/// </summary>
public sealed class EventLogFile(string path)
{
    public string Path { get; } = path;

    public string WalPath { get; } = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(path)!, ".wal_event_entry");

    /// <summary>
    /// Opens the log (created with its header when new) and holds flock on it until disposed. Reads and writes go through
    /// this one descriptor: .NET's own FileStream would try a shared lock of its own, which our exclusive one refuses.
    /// </summary>
    public LockedLog Lock(MeasurementBank bank)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var handle = File.OpenHandle(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite);
        var log = new LockedLog(Path, handle, FileLock.Exclusive(handle));
        if (RandomAccess.GetLength(handle) == 0) log.Append(Tcg2Log.Header(bank));
        return log;
    }

    public void WriteAhead(byte[] record)
    {
        var temporary = WalPath + ".new";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            stream.Write(record);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, WalPath, overwrite: true);
    }

    /// <summary>The write-ahead record, null when there is none; one that is not a small regular file is an error.</summary>
    public byte[]? ReadAhead()
    {
        var (bytes, error) = BoundedFile.ReadBytes(WalPath, BoundedFile.EventRecordLimit);
        return error is null ? bytes : throw new IOException(error);
    }

    public void DropAhead() => File.Delete(WalPath);

    public sealed class LockedLog(string path, SafeFileHandle handle, IDisposable held) : IDisposable
    {
        public byte[] Read()
        {
            var length = RandomAccess.GetLength(handle);
            if (length > BoundedFile.EventLogLimit)
                throw new IOException($"{path}: {length} bytes, more than the {BoundedFile.EventLogLimit} an event log may have");
            var bytes = new byte[length];
            for (var read = 0; read < bytes.Length;) read += RandomAccess.Read(handle, bytes.AsSpan(read), read);
            return bytes;
        }

        public void Append(byte[] record)
        {
            RandomAccess.Write(handle, record, RandomAccess.GetLength(handle));
            RandomAccess.FlushToDisk(handle);
        }

        /// <summary>Cuts a torn last record (a crash during <see cref="Append"/>) off the log.</summary>
        public void Truncate(long length)
        {
            RandomAccess.SetLength(handle, length);
            RandomAccess.FlushToDisk(handle);
        }

        public void Dispose()
        {
            held.Dispose();
            handle.Dispose();
        }
    }
}
