using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace AcceptD.Os.Systemd;

/// <summary>The one place where the daemon and the CLI get their Serilog logger.</summary>
public static class LoggingSetup
{
    public const string Identifier = "acceptd";
    public const string TextTemplate = "{Timestamp:HH:mm:ss.fff} {Level:u3} {Message:lj}{NewLine}{Exception}";

    /// <summary>
    /// Journald (native protocol, structured fields) when <paramref name="useJournal"/> and journald listens at
    /// <paramref name="journalSocketPath"/>, with <paramref name="stderr"/> as fallback for entries journald refuses;
    /// otherwise plain text on <paramref name="stderr"/> (Console.Error by default). Dispose the logger at exit.
    /// </summary>
    public static Logger Create(
        LogEventLevel minimumLevel = LogEventLevel.Information,
        bool useJournal = true,
        string journalSocketPath = JournalSocket.DefaultPath,
        TextWriter? stderr = null)
    {
        var text = new ControlCharacterEscaper(new TextWriterSink(stderr ?? Console.Error, new MessageTemplateTextFormatter(TextTemplate)));
        var configuration = new LoggerConfiguration().MinimumLevel.Is(minimumLevel);
        if (useJournal && JournalSocket.IsAvailable(journalSocketPath))
        {
            configuration.WriteTo.FallbackChain(
                journal => journal.Sink(new ControlCharacterEscaper(new JournalSink(new JournalSocket(journalSocketPath), Identifier))),
                fallback => fallback.Sink(text));
        }
        else
        {
            configuration.WriteTo.Sink(text);
        }
        return configuration.CreateLogger();
    }
}
