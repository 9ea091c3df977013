using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace AcceptD.Os.Systemd;

/// <summary>Plain text lines on a writer (stderr when journald is absent); Serilog core has no such sink.</summary>
public sealed class TextWriterSink(TextWriter writer, ITextFormatter formatter) : ILogEventSink
{
    private readonly Lock _gate = new();

    public void Emit(LogEvent logEvent)
    {
        lock (_gate)
        {
            formatter.Format(logEvent, writer);
            writer.Flush();
        }
    }
}
