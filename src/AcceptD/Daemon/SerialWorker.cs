using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace AcceptD.Daemon;

/// <summary>
/// Runs the gate's changes one at a time on one thread, so changes never interleave and no lock is needed around
/// kernel I/O: callers wait for their own change only, and readers use the published snapshot meanwhile. A change that
/// starts another (an operator decision reloads the policy) runs inline.
/// </summary>
public sealed class SerialWorker : IDisposable
{
    private readonly BlockingCollection<Action> _queue = [];
    private readonly Thread _thread;

    public SerialWorker(string name)
    {
        _thread = new Thread(Loop) { Name = name, IsBackground = true };
        _thread.Start();
    }

    public T Run<T>(Func<T> change)
    {
        if (Thread.CurrentThread == _thread) return change();
        T result = default!;
        ExceptionDispatchInfo? error = null;
        using var done = new ManualResetEventSlim();
        _queue.Add(() =>
        {
            try { result = change(); }
            catch (Exception e) { error = ExceptionDispatchInfo.Capture(e); }
            finally { done.Set(); }
        });
        done.Wait();
        error?.Throw();
        return result;
    }

    public void Run(Action change) => Run(() => { change(); return true; });

    public void Dispose() => _queue.CompleteAdding();

    private void Loop()
    {
        foreach (var change in _queue.GetConsumingEnumerable()) change();
    }
}
