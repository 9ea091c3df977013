using AcceptD.Os.Sysfs;

namespace AcceptD.Os.Tests.Sysfs;

public class BoundedWorkersTests
{
    [Fact]
    public void Every_item_runs_once_and_never_more_than_the_bound_at_a_time()
    {
        var runs = new int[40];
        int running = 0, most = 0;
        BoundedWorkers.Run(3, runs.Length, n =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            Thread.Sleep(2);
            Interlocked.Increment(ref runs[n]);
            Interlocked.Decrement(ref running);
        });
        Assert.All(runs, r => Assert.Equal(1, r));
        Assert.InRange(most, 2, 3);
    }

    [Fact]
    public void A_failing_item_stops_the_rest_and_reaches_the_caller()
    {
        var started = 0;
        var error = Assert.Throws<InvalidOperationException>(() => BoundedWorkers.Run(1, 10, n =>
        {
            Interlocked.Increment(ref started);
            if (n == 2) throw new InvalidOperationException("item 2");
        }));
        Assert.Equal("item 2", error.Message);
        Assert.Equal(3, started);
    }

    [Fact]
    public void No_items_and_one_worker_are_fine()
    {
        BoundedWorkers.Run(4, 0, _ => throw new InvalidOperationException());
        var order = new List<int>();
        BoundedWorkers.Run(1, 3, order.Add);
        Assert.Equal([0, 1, 2], order);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (int seen; (seen = Volatile.Read(ref target)) < value;)
            if (Interlocked.CompareExchange(ref target, value, seen) == seen) return;
    }
}
