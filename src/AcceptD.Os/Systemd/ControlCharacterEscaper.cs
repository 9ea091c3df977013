using AcceptD.Core.Text;
using Serilog.Core;
using Serilog.Events;

namespace AcceptD.Os.Systemd;

/// <summary>
/// Escapes control characters in every string property of a log event before the wrapped sink sees it: device
/// names and sysfs values come from the hypervisor, and a newline in one would forge a log line (an ESC sequence
/// reach the terminal of whoever reads the log). A sink wrapper, not an enricher, so properties added with
/// ForContext are escaped too. Journald fields and the text on stderr get the same escaped value.
/// </summary>
internal sealed class ControlCharacterEscaper(ILogEventSink inner) : ILogEventSink
{
    public void Emit(LogEvent logEvent)
    {
        List<LogEventProperty>? escaped = null;
        foreach (var (name, value) in logEvent.Properties)
            if (value is ScalarValue { Value: string text } && Printable.NeedsEscape(text))
                (escaped ??= []).Add(new LogEventProperty(name, new ScalarValue(Printable.Escape(text))));
        foreach (var property in escaped ?? []) logEvent.AddOrUpdateProperty(property);
        inner.Emit(logEvent);
    }
}
