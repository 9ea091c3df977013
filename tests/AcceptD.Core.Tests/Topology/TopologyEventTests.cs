using AcceptD.Core.Topology;

namespace AcceptD.Core.Tests.Topology;

public sealed class TopologyEventTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.FromHours(1));

    private static List<string> Log()
    {
        var a = TopologyEvent.Next(null, T0, "accept", "pci/0000:00:04.0", "-");
        var b = TopologyEvent.Next(a, T0.AddSeconds(1), "accept", "pci/0000:01:00.0", "sha384:aa");
        var c = TopologyEvent.Next(b, T0.AddSeconds(2), "lock", "-", "sha384:bb");
        var d = TopologyEvent.Next(c, T0.AddSeconds(3), "violation", "pci/0000:02:00.0", "-");
        return [a.Format(), b.Format(), c.Format(), d.Format()];
    }

    [Fact]
    public void Chain_starts_at_genesis_and_links_each_event()
    {
        var first = TopologyEvent.Next(null, T0, "accept", "pci/0000:00:04.0", "-");
        var second = TopologyEvent.Next(first, T0, "accept", "pci/0000:00:05.0", "-");

        Assert.Equal((1L, TopologyEvent.Genesis), (first.Seq, first.Previous));
        Assert.Equal((2L, first.Hash), (second.Seq, second.Previous));
        Assert.Equal(48, second.HashBytes.Length);
        Assert.StartsWith("1\t2026-11-23T09:00:00.0000000Z\taccept\tpci/0000:00:04.0\t-\t000", first.Format());
    }

    [Fact]
    public void An_untouched_log_verifies() => Assert.Null(TopologyEvent.VerifyLog(Log()));

    [Theory]
    [InlineData(1, 3, "pci/0000:09:00.0", "line 2: hash does not match its content")]
    [InlineData(2, 2, "violation", "line 3: hash does not match its content")]
    [InlineData(3, 0, "5", "line 4: seq 5 follows 3")]
    [InlineData(0, 2, "bogus", "line 1: unknown kind 'bogus'")]
    public void AnyEditIsFound(int line, int field, string value, string expected)
    {
        var log = Log();
        var fields = log[line].Split('\t');
        fields[field] = value;
        log[line] = string.Join('\t', fields);

        Assert.Equal(expected, TopologyEvent.VerifyLog(log));
    }

    [Fact]
    public void Dropping_an_event_breaks_the_chain()
    {
        var log = Log();
        log.RemoveAt(1);

        Assert.Equal("line 2: seq 3 follows 1", TopologyEvent.VerifyLog(log));
    }

    [Fact]
    public void Rehashed_forgery_still_breaks_the_link()
    {
        var log = Log();
        var forged = TopologyEvent.Next(null, T0, "accept", "pci/0000:66:00.0", "-");
        log[0] = forged.Format();

        Assert.Equal("line 2: previous hash does not match line 1", TopologyEvent.VerifyLog(log));
    }

    [Fact]
    public void Rejects_fields_that_would_break_the_format()
    {
        Assert.Throws<ArgumentException>(() => TopologyEvent.Next(null, T0, "accept", "a\tb", "-"));
        Assert.Throws<ArgumentException>(() => TopologyEvent.Next(null, T0, "removed", "x", "-"));
    }
}
