using AcceptD.Daemon.Bus;

namespace AcceptD.DBus.Tests.Os.DBus;

/// <summary>The bus thread survives a missing bus and a bus restart, and says so once.</summary>
public sealed class BusLoopTests
{
    [Fact]
    public void Connects_when_the_bus_appears_and_again_after_it_restarts()
    {
        Tools.Require();
        var dir = Directory.CreateTempSubdirectory("acceptd-late-bus-");
        File.SetUnixFileMode(dir.FullName, (UnixFileMode)0b111_101_101);
        var log = new TestLog();
        try
        {
            using var service = GateBusService.Start(new InMemoryGate(), $"unix:path={dir.FullName}/bus", log.Logger);
            Thread.Sleep(1500); // at least two failed attempts
            Assert.Single(log.Lines, l => l.StartsWith("Warning: ", StringComparison.Ordinal) && l.Contains("D-Bus unavailable"));
            using (var bus = new PrivateBus(dir.FullName)) bus.WaitForName(BusNames.Service, seconds: 40);
            using (var again = new PrivateBus(dir.FullName)) again.WaitForName(BusNames.Service, seconds: 40);
            Assert.Equal(2, log.Lines.Count(l => l.Contains("serving on")));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
