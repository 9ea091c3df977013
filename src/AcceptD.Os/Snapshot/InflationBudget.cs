namespace AcceptD.Os.Snapshot;

/// <summary>
/// A read-only stream over decompressed data that refuses to give more than a total budget: ten megabytes of gzip
/// can inflate to gigabytes, and a cap per tar entry alone lets many entries add up.
/// </summary>
internal sealed class InflationBudget(Stream inner, long budget) : Stream
{
    private long _total;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _total; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        _total += n;
        if (_total > budget) throw new InvalidDataException($"more than {budget} bytes once decompressed");
        return n;
    }

    /// <summary>Reads what is left (counted against the budget), so the source reaches its end and checks its trailer.</summary>
    public void ReadToEnd()
    {
        Span<byte> sink = stackalloc byte[4096];
        while (Read(sink) > 0) { }
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
