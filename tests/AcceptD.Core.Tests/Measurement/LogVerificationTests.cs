using AcceptD.Core.Measurement;

namespace AcceptD.Core.Tests.Measurement;

/// <summary>The relying party's replay: a good log verifies; each kind of damage fails naming the entry.</summary>
public sealed class LogVerificationTests
{
    private static readonly MeasuredRegister Pcr23 = MeasuredRegister.Pcr(23);

    private static readonly TopologyEvent[] Events =
    [
        new(TopologyEventKind.DeviceAccepted, "sha384:01", MeasuredEventTests.Nic),
        new(TopologyEventKind.DeviceAccepted, "sha384:02", MeasuredEventTests.Nic with { Key = "pci/0000:02:00.0", EvidenceDigest = null }),
        new(TopologyEventKind.DeviceRemoved, "sha384:03", MeasuredEventTests.Nic),
        new(TopologyEventKind.TopologyLocked, "sha384:03", null),
    ];

    private static List<byte[]> Records(string? boot = "boot-a", MeasuredRegister? register = null) =>
        [.. Events.Select((e, i) => Tcg2Log.Event((register ?? Pcr23).LogIndex, (register ?? Pcr23).Bank,
            new MeasuredEvent(i + 1, boot, (register ?? Pcr23).Name, e).Text).Record)];

    private static byte[] Log(IEnumerable<byte[]> records, MeasuredRegister? register = null) =>
        [.. Tcg2Log.Header((register ?? Pcr23).Bank), .. records.SelectMany(r => r)];

    /// <summary>The register a log replays to, computed independently of the verifier.</summary>
    private static byte[] Replay(IEnumerable<byte[]> records, MeasurementBank bank) =>
        records.Aggregate(bank.Initial, (value, record) => bank.Extend(value, record.AsSpan(14, bank.DigestSize)));

    [Fact]
    public void GoodLogReplaysToTheRegisterAndListsTheTopology()
    {
        var records = Records();
        var result = LogVerification.Verify(Log(records), Pcr23, Replay(records, MeasurementBank.Sha256));

        Assert.True(result.Ok, result.Error);
        Assert.Equal("sha384:03", result.TopologyDigest);
        Assert.Equal(["legacy-pcie:0000:02:00.0"], result.Devices);
        Assert.Equal("boot-a", result.BootId);
        Assert.Equal([1L, 2, 3, 4], result.Entries.Select(e => e.Seq));
    }

    [Fact]
    public void RtmrLogUsesSha384AndTheCcMeasurementRegisterIndex()
    {
        var rtmr3 = MeasuredRegister.Rtmr(3);
        var records = Records(register: rtmr3);

        Assert.Equal(4u, BitConverter.ToUInt32(records[0], 0));
        Assert.True(LogVerification.Verify(Log(records, rtmr3), rtmr3, Replay(records, MeasurementBank.Sha384)).Ok);
        Assert.Contains("bank is sha384", LogVerification.Verify(Log(records, rtmr3), Pcr23, new byte[32]).Error);
    }

    [Fact]
    public void TamperedEntryFailsNamingIt()
    {
        var records = Records();
        var expected = Replay(records, MeasurementBank.Sha256);
        var at = records[1].AsSpan().IndexOf("0000:02:00.0"u8);
        records[1][at + 6] = (byte)'9'; // the same length: only the digest can tell

        Assert.Equal("entry 2: digest does not match its data (the entry was altered)",
            LogVerification.Verify(Log(records), Pcr23, expected).Error);
    }

    [Fact]
    public void ReorderedLogFailsNamingTheFirstEntryOutOfPlace()
    {
        var records = Records();
        (records[1], records[2]) = (records[2], records[1]);

        Assert.StartsWith("entry 2: seq 3 where 2 was due", LogVerification.Verify(Log(records), Pcr23, Replay(records, MeasurementBank.Sha256)).Error);
    }

    [Fact]
    public void TruncatedLogFailsNamingTheCutEntryOrTheLastOne()
    {
        var records = Records();
        var expected = Replay(records, MeasurementBank.Sha256);
        var log = Log(records);

        Assert.StartsWith("entry 4 (byte ", LogVerification.Verify(log.AsSpan(0, log.Length - 5), Pcr23, expected).Error);
        Assert.StartsWith("entry 3 (the last): tpm2-pcr23 replays to ", LogVerification.Verify(Log(records.Take(3)), Pcr23, expected).Error);
    }

    [Fact]
    public void EventsOfAnotherRegisterFail()
    {
        var records = Records();
        Assert.Equal("entry 1: measured into register index 23, not 16 (tpm2-pcr16)",
            LogVerification.Verify(Log(records), MeasuredRegister.Pcr(16), Replay(records, MeasurementBank.Sha256)).Error);
    }

    [Fact]
    public void WrongRegisterValueFails() =>
        Assert.StartsWith("entry 4 (the last): tpm2-pcr23 replays to ",
            LogVerification.Verify(Log(Records()), Pcr23, new byte[32]).Error);

    [Fact]
    public void LogOfAnotherBootFailsNamingTheFirstForeignEntry()
    {
        var records = Records("boot-b");
        var expected = Replay(records, MeasurementBank.Sha256);
        Assert.Equal("entry 1: from boot boot-b, not boot-a (a log of another boot)",
            LogVerification.Verify(Log(records), Pcr23, expected, bootId: "boot-a").Error);

        var spliced = Records("boot-a").Take(2).Concat(Records("boot-b").Skip(2)).ToList();
        Assert.Equal("entry 3: from boot boot-b, not boot-a (a log of another boot)",
            LogVerification.Verify(Log(spliced), Pcr23, Replay(spliced, MeasurementBank.Sha256)).Error);
    }

    [Fact]
    public void WithoutBootIdsTheRegisterIsTheSameOnEveryBootAndABootIdCannotBeRequired()
    {
        var records = Records(boot: null);
        var expected = Replay(records, MeasurementBank.Sha256);

        Assert.Equal(expected, Replay(Records(boot: null), MeasurementBank.Sha256));
        Assert.True(LogVerification.Verify(Log(records), Pcr23, expected).Ok);
        Assert.Equal("entry 1: from boot (none given), not boot-a (a log of another boot)",
            LogVerification.Verify(Log(records), Pcr23, expected, bootId: "boot-a").Error);
        var mixed = Records(boot: null).Take(2).Concat(Records("boot-a").Skip(2)).ToList();
        Assert.StartsWith("entry 3: from boot boot-a, not (none given)", LogVerification.Verify(Log(mixed), Pcr23, Replay(mixed, MeasurementBank.Sha256)).Error);
    }

    [Fact]
    public void NonCanonicalContentFailsEvenWithAMatchingDigest()
    {
        var record = Tcg2Log.Event(23, MeasurementBank.Sha256,
            "org.acceptd topology-locked {\"seq\":1,\"boot_id\":\"b\",\"register\":\"x\",\"topology_digest\":\"d\"}").Record;

        Assert.Equal("entry 1: content is not RFC 8785 canonical JSON",
            LogVerification.Verify(Log([record]), Pcr23, Replay([record], MeasurementBank.Sha256)).Error);
    }

    [Fact]
    public void ForeignDomainEntriesAreReplayedButNotCounted()
    {
        var records = Records();
        records.Insert(1, Tcg2Log.Event(23, MeasurementBank.Sha256, "github.com/confidential-containers PodCreated {}").Record);

        var result = LogVerification.Verify(Log(records), Pcr23, Replay(records, MeasurementBank.Sha256));
        Assert.True(result.Ok, result.Error);
        Assert.Equal([1, 3, 4, 5], result.Entries.Select(e => e.Number));
    }
}
