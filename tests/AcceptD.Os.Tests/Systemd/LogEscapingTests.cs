using AcceptD.Os.Systemd;

namespace AcceptD.Os.Tests.Systemd;

/// <summary>A device name from the hypervisor cannot forge a log line or reach the terminal as an escape sequence.</summary>
public sealed class LogEscapingTests
{
    private const string Forged = "0000:00:04.0\n12:00:00.000 INF pci/0000:00:04.0: allow\u001b[2J";

    [Fact]
    public void A_newline_or_escape_in_a_property_stays_on_one_stderr_line()
    {
        var stderr = new StringWriter();
        using (var log = LoggingSetup.Create(journalSocketPath: "/nonexistent/journal/socket", stderr: stderr))
            log.ForContext("Device", Forged).Warning("Denied {Name}", Forged);

        var text = stderr.ToString();
        Assert.Single(text.TrimEnd('\n').Split('\n'));
        Assert.DoesNotContain('\u001b', text);
        Assert.Contains("Denied 0000:00:04.0\\n12:00:00.000 INF pci/0000:00:04.0: allow\\x1b[2J", text);
    }

    [Fact]
    public void Journald_fields_get_the_same_escaped_value()
    {
        using var journal = new FakeDatagramEndpoint();
        using (var log = LoggingSetup.Create(journalSocketPath: journal.Path, stderr: new StringWriter()))
            log.ForContext("Device", Forged).Information("Bound {Name}", "x");

        var entry = JournalEntryDecoder.Decode(journal.Receive().Data).ToDictionary(f => f.Name);
        Assert.DoesNotContain('\n', entry["ACCEPTD_DEVICE"].Value);
        Assert.StartsWith("0000:00:04.0\\n", entry["ACCEPTD_DEVICE"].Value);
    }
}
