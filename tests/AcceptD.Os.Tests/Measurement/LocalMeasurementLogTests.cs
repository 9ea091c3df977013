using AcceptD.Core.Devices;
using AcceptD.Core.Measurement;
using AcceptD.Core.Topology;
using AcceptD.Os.Measurement;
using AcceptD.Testing;

namespace AcceptD.Os.Tests.Measurement;

/// <summary>AcceptD as the register's one writer: log and register in step, also across a crash between any two steps.</summary>
public sealed class LocalMeasurementLogTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("acceptd-measure-").FullName;
    private readonly List<string> _journal = [];
    private readonly ExtendingRegister _pcr = new(MeasuredRegister.Pcr(23));

    public static readonly TopologyEntry Nic = new("pci/0000:01:00.0", "/devices/pci0000:00/0000:01:00.0",
        new DeviceIds("8086", "10d3"), "e1000e");

    public static readonly TopologyEvent Accepted = new(TopologyEventKind.DeviceAccepted, "sha384:01", Nic);

    private EventLogFile File => new(Path.Combine(_dir, "eventlog"));

    private LocalMeasurementLog Open(IMeasurementRegister? register) => new(File, register, "boot-1", _journal.Add);

    private LogVerification Verify() => LogVerification.Verify(System.IO.File.ReadAllBytes(File.Path), _pcr.Register, _pcr.Value, "boot-1");

    /// <summary>The record and digest the next entry (seq) would have, as the log builds it.</summary>
    private (byte[] Record, byte[] Digest) Entry(long seq) =>
        Tcg2Log.Event(23, MeasurementBank.Sha256, new MeasuredEvent(seq, "boot-1", "tpm2-pcr23", Accepted).Text);

    [Fact]
    public void EveryEventIsLoggedAndExtendedAndTheLogReplaysToTheRegister()
    {
        var log = Open(_pcr);
        log.Record(Accepted);
        log.Record(new TopologyEvent(TopologyEventKind.TopologyLocked, "sha384:01", null));

        Assert.Null(log.Status.Error);
        Assert.True(Verify().Ok, Verify().Error);
        Assert.Equal(2, Verify().Entries.Length);
        Assert.False(System.IO.File.Exists(File.WalPath));

        Open(_pcr).Record(Accepted); // a restart continues the sequence, in step
        Assert.Equal([1L, 2, 3], Verify().Entries.Select(e => e.Seq));
        Assert.True(Verify().Ok, Verify().Error);
    }

    [Fact]
    public void CrashBeforeTheExtendDropsTheWriteAheadEntry()
    {
        Open(_pcr).Record(Accepted);
        File.WriteAhead(Entry(2).Record); // written ahead, then killed before the register moved

        var log = Open(_pcr);
        Assert.Null(log.Status.Error);
        Assert.Contains("write-ahead entry 2 was not extended into tpm2-pcr23 via memory before a crash: dropped", _journal);
        Assert.False(System.IO.File.Exists(File.WalPath));
        log.Record(Accepted);
        Assert.Equal([1L, 2], Verify().Entries.Select(e => e.Seq));
        Assert.True(Verify().Ok, Verify().Error);
    }

    [Fact]
    public void CrashAfterTheExtendCommitsTheWriteAheadEntry()
    {
        Open(_pcr).Record(Accepted);
        var (record, digest) = Entry(2);
        File.WriteAhead(record);
        _pcr.Extend(digest); // extended, then killed before the entry reached the log

        Assert.Null(Open(_pcr).Status.Error);
        Assert.Contains("write-ahead entry 2 was extended before a crash: committed", _journal);
        Assert.Equal([1L, 2], Verify().Entries.Select(e => e.Seq));
        Assert.True(Verify().Ok, Verify().Error);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)] // no register: nothing but the log itself tells that the entry is in
    public void CrashAfterTheAppendRemovesOnlyTheWriteAheadCopy(bool withRegister)
    {
        var register = withRegister ? _pcr : null;
        Open(register).Record(Accepted);
        var first = System.IO.File.ReadAllBytes(File.Path).Length;
        Open(register).Record(Accepted);
        var logged = System.IO.File.ReadAllBytes(File.Path);
        File.WriteAhead(logged[first..]); // appended, then killed before the write-ahead file was removed

        Assert.Null(Open(register).Status.Error);
        Assert.Contains("write-ahead entry 2 was appended to the log before a crash: its write-ahead copy removed", _journal);
        Assert.False(System.IO.File.Exists(File.WalPath));
        Assert.Equal(logged, System.IO.File.ReadAllBytes(File.Path));
        if (withRegister) Assert.True(Verify().Ok, Verify().Error);
    }

    [Fact]
    public void AWriteAheadRecordLikeTheLastOneButWithADigestTheRegisterNeverGotIsDropped()
    {
        Open(_pcr).Record(Accepted);
        var record = System.IO.File.ReadAllBytes(File.Path)[^Entry(1).Record.Length..];
        record[14] ^= 0xff; // the digest follows PCR index, event type, digest count and algorithm id
        File.WriteAhead(record);

        Assert.Null(Open(_pcr).Status.Error);
        Assert.Contains("write-ahead entry 2 was not extended into tpm2-pcr23 via memory before a crash: dropped", _journal);
        Assert.True(Verify().Ok, Verify().Error);
        Assert.Single(Verify().Entries);
    }

    [Fact]
    public void AWriteAheadFileThatIsAFifoIsAnErrorStateNotAHang()
    {
        Open(_pcr).Record(Accepted);
        Assert.Equal(0, KernelTree.Run("mkfifo", [File.WalPath]).Code);

        var log = Open(_pcr);
        Assert.StartsWith($"cannot reconcile the log with the register: {File.WalPath}", log.Status.Error);
    }

    [Fact]
    public void ALogLargerThanItsCapIsAnErrorStateAndNotReadIntoMemory()
    {
        Open(_pcr).Record(Accepted);
        using (var stream = new FileStream(File.Path, FileMode.Open)) stream.SetLength(65L << 20); // sparse

        var log = Open(_pcr);
        Assert.Equal($"cannot reconcile the log with the register: {File.Path}: {65L << 20} bytes, more than the {64 << 20} an event log may have",
            log.Status.Error);
    }

    [Fact]
    public void CrashDuringTheAppendCutsTheTornRecordAndCommitsTheEntry()
    {
        Open(_pcr).Record(Accepted);
        var (record, digest) = Entry(2);
        File.WriteAhead(record);
        _pcr.Extend(digest);
        using (var stream = new FileStream(File.Path, FileMode.Append)) stream.Write(record.AsSpan(0, 20)); // killed mid-append

        Assert.Null(Open(_pcr).Status.Error);
        Assert.Contains(_journal, l => l.Contains("cut a torn record after entry 1"));
        Assert.True(Verify().Ok, Verify().Error);
        Assert.Equal(2, Verify().Entries.Length);
    }

    [Fact]
    public void RegisterMovedByAnotherWriterIsAnErrorAndNothingMoreIsExtended()
    {
        Open(_pcr).Record(Accepted);
        _pcr.Extend(new byte[32]); // someone else extended "our" PCR
        var before = _pcr.Value;

        var log = Open(_pcr);
        log.Record(Accepted);
        Assert.StartsWith("cannot reconcile the log with the register: tpm2-pcr23 via memory is ", log.Status.Error);
        Assert.Equal(before, _pcr.Value);
        Assert.Contains(_journal, l => l.StartsWith("not measured (cannot reconcile", StringComparison.Ordinal));
    }

    [Fact]
    public void RegisterThatRefusesTheExtendIsAnErrorState()
    {
        var log = Open(_pcr);
        _pcr.Refuse = true;
        log.Record(Accepted);

        Assert.Equal("cannot measure device-accepted: memory: the register refused the extend", log.Status.Error);
        Assert.Contains("FAILED", log.Status.Summary);
        Assert.True(System.IO.File.Exists(File.WalPath)); // kept for the next start to reconcile
    }

    [Fact]
    public void WithoutARegisterTheLogIsStillWrittenAndSaysSo()
    {
        var log = Open(null);
        log.Record(Accepted);

        Assert.Equal("none: no register: the log is kept but nothing measures it, log " + File.Path, log.Status.Summary);
        Assert.Contains("\"register\":\"none\"", Assert.Single(MeasurementSetup.AcceptdEntries(File.Path)));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
