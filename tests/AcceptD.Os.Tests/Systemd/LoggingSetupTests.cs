using AcceptD.Os.Systemd;

namespace AcceptD.Os.Tests.Systemd;

public sealed class LoggingSetupTests
{
    [Fact]
    public void Writes_structured_entries_to_journald_when_it_listens()
    {
        using var journal = new FakeDatagramEndpoint();
        var stderr = new StringWriter();
        using (var log = LoggingSetup.Create(journalSocketPath: journal.Path, stderr: stderr))
            log.Information("Bound {Device}", "0000:00:03.0");

        var entry = JournalEntryDecoder.Decode(journal.Receive().Data).ToDictionary(f => f.Name);
        Assert.Equal("0000:00:03.0", entry["ACCEPTD_DEVICE"].Value);
        Assert.Equal("", stderr.ToString());
    }

    [Fact]
    public void Falls_back_to_plain_stderr_when_journald_is_absent()
    {
        var stderr = new StringWriter();
        using (var log = LoggingSetup.Create(journalSocketPath: "/nonexistent/journal/socket", stderr: stderr))
        {
            log.Debug("hidden below the minimum level");
            log.Warning("Denied {Device}", "0000:00:04.0");
        }

        Assert.Matches(@"^\d\d:\d\d:\d\d\.\d{3} WRN Denied 0000:00:04.0\n$", stderr.ToString());
    }

    [Fact]
    public void Entries_journald_refuses_later_still_reach_stderr()
    {
        var journal = new FakeDatagramEndpoint();
        var stderr = new StringWriter();
        using var log = LoggingSetup.Create(journalSocketPath: journal.Path, stderr: stderr);
        journal.Dispose();

        log.Error("Policy error in {File}", "/etc/acceptd/rules.d/10-x.rules");

        Assert.Contains("ERR Policy error in /etc/acceptd/rules.d/10-x.rules", stderr.ToString());
    }

    [Fact]
    public void Cli_can_ask_for_stderr_even_with_journald_present()
    {
        using var journal = new FakeDatagramEndpoint();
        var stderr = new StringWriter();
        using (var log = LoggingSetup.Create(useJournal: false, journalSocketPath: journal.Path, stderr: stderr))
            log.Information("hello");

        Assert.Contains("INF hello", stderr.ToString());
        Assert.False(journal.HasPending(TimeSpan.FromMilliseconds(100)));
    }
}
