using System.Collections.Concurrent;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace AcceptD.DBus.Tests;

/// <summary>A Serilog logger that keeps what the service logs, for assertions and failure messages.</summary>
public sealed class TestLog : ILogEventSink
{
    private readonly ConcurrentQueue<string> _lines = new();

    public TestLog() => Logger = new LoggerConfiguration().MinimumLevel.Debug().WriteTo.Sink(this).CreateLogger();

    public ILogger Logger { get; }

    public IReadOnlyList<string> Lines => [.. _lines];

    public void Emit(LogEvent e) => _lines.Enqueue($"{e.Level}: {e.RenderMessage()}{(e.Exception is { } x ? " " + x : "")}");

    public override string ToString() => string.Join('\n', _lines);
}
