using System.Runtime.ExceptionServices;

namespace AcceptD.Os.Sysfs;

/// <summary>
/// Runs work items 0..count-1 on at most <c>workers</c> threads (the caller's among them), each item once, taken in
/// order. Dedicated threads rather than the thread pool: the items block in the kernel (module loads, probes), and the
/// pool would add threads for them only slowly.
/// </summary>
public static class BoundedWorkers
{
    public static void Run(int workers, int count, Action<int> work)
    {
        var next = -1;
        ExceptionDispatchInfo? failure = null;
        void Drain()
        {
            for (int n; (n = Interlocked.Increment(ref next)) < count && Volatile.Read(ref failure) is null;)
            {
                try { work(n); }
                catch (Exception e) { Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(e), null); }
            }
        }
        var threads = Enumerable.Range(0, Math.Max(0, Math.Min(workers, count) - 1))
            .Select(_ => new Thread(Drain) { Name = "acceptd-worker", IsBackground = true }).ToArray();
        foreach (var thread in threads) thread.Start();
        Drain();
        foreach (var thread in threads) thread.Join();
        failure?.Throw();
    }
}
