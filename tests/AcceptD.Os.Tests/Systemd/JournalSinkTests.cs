using AcceptD.Os.Systemd;
using Serilog;
using static AcceptD.Os.Native.Libc;

namespace AcceptD.Os.Tests.Systemd;

public sealed class JournalSinkTests : IDisposable
{
    private readonly FakeDatagramEndpoint _journal = new();

    private Serilog.Core.Logger Logger() =>
        new LoggerConfiguration().MinimumLevel.Verbose()
            .WriteTo.Sink(new JournalSink(new JournalSocket(_journal.Path), "acceptd")).CreateLogger();

    private Dictionary<string, JournalEntryDecoder.Field> ReceiveEntry()
    {
        var datagram = _journal.Receive();
        Assert.Null(datagram.PassedFile);
        return JournalEntryDecoder.Decode(datagram.Data).ToDictionary(f => f.Name);
    }

    [Fact]
    public void Decision_event_carries_message_priority_identifier_message_id_and_upper_cased_properties()
    {
        using (var log = Logger())
        {
            log.WithMessageId(JournalMessageIds.DeviceDenied)
                .Warning("{Device} {Decision} by {Rule}: {Reason}", "0000:00:04.0", "deny", "rules.d/50-net.rules:3", "not on the allow list");
        }

        var entry = ReceiveEntry();
        Assert.Equal("0000:00:04.0 deny by rules.d/50-net.rules:3: not on the allow list", entry["MESSAGE"].Value);
        Assert.Equal("4", entry["PRIORITY"].Value);
        Assert.Equal("acceptd", entry["SYSLOG_IDENTIFIER"].Value);
        Assert.Equal("abab06476cda4586a46e03fb637d2248", entry["MESSAGE_ID"].Value);
        Assert.Equal("0000:00:04.0", entry["ACCEPTD_DEVICE"].Value);
        Assert.Equal("deny", entry["ACCEPTD_DECISION"].Value);
        Assert.Equal("rules.d/50-net.rules:3", entry["ACCEPTD_RULE"].Value);
        Assert.Equal("not on the allow list", entry["ACCEPTD_REASON"].Value);
        Assert.False(entry.ContainsKey("ACCEPTD_MESSAGEID"));
        Assert.All(entry.Values, f => Assert.False(f.Binary));
    }

    [Fact]
    public void Values_with_newlines_use_the_binary_length_form()
    {
        using (var log = Logger())
            log.Error(new InvalidOperationException("bind failed"), "Binding {Device} failed", "0000:00:03.0");

        var entry = ReceiveEntry();
        Assert.True(entry["MESSAGE"].Binary);
        Assert.StartsWith("Binding 0000:00:03.0 failed\nSystem.InvalidOperationException: bind failed", entry["MESSAGE"].Value);
        Assert.Equal("3", entry["PRIORITY"].Value);
        Assert.False(entry["ACCEPTD_DEVICE"].Binary);
    }

    [Fact]
    public void Property_names_are_sanitised_non_scalars_skipped_scalars_invariant_and_enums_lower_case()
    {
        using (var log = Logger())
        {
            log.ForContext("pci.slot", 7).ForContext("Seen", true).ForContext("Ratio", 0.5).ForContext("Level", DayOfWeek.Monday)
                .ForContext("Modules", new[] { "e1000", "virtio_net" })
                .Debug("plain");
        }

        var entry = ReceiveEntry();
        Assert.Equal("7", entry["PRIORITY"].Value);
        Assert.Equal("7", entry["ACCEPTD_PCI_SLOT"].Value);
        Assert.Equal("true", entry["ACCEPTD_SEEN"].Value);
        Assert.Equal("0.5", entry["ACCEPTD_RATIO"].Value);
        Assert.Equal("monday", entry["ACCEPTD_LEVEL"].Value);
        Assert.False(entry.ContainsKey("ACCEPTD_MODULES"));
    }

    [Fact]
    public void An_entry_too_large_for_a_datagram_goes_through_a_sealed_memfd()
    {
        var huge = new string('x', 1 << 20);
        using (var log = Logger())
            log.Information("{Payload}", huge);

        var datagram = _journal.Receive();
        Assert.Empty(datagram.Data);
        Assert.NotNull(datagram.PassedFile);
        using var memfd = datagram.PassedFile;
        Assert.Equal(F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE, Fcntl((int)memfd.DangerousGetHandle(), F_GET_SEALS, 0));
        var content = new byte[RandomAccess.GetLength(memfd)];
        Assert.Equal(content.Length, RandomAccess.Read(memfd, content, 0));
        var entry = JournalEntryDecoder.Decode(content).ToDictionary(f => f.Name);
        Assert.Equal(huge, entry["ACCEPTD_PAYLOAD"].Value);
        Assert.Equal("acceptd", entry["SYSLOG_IDENTIFIER"].Value);
    }

    [Fact]
    public void Sending_to_a_vanished_journal_throws_with_the_path()
    {
        var sink = new JournalSink(new JournalSocket(_journal.Path + ".gone"), "acceptd");
        var error = Assert.Throws<IOException>(() =>
            sink.Emit(new Serilog.Events.LogEvent(DateTimeOffset.Now, Serilog.Events.LogEventLevel.Information, null,
                new Serilog.Parsing.MessageTemplateParser().Parse("x"), [])));
        Assert.Contains(_journal.Path + ".gone", error.Message);
        sink.Dispose();
    }

    public void Dispose() => _journal.Dispose();
}
