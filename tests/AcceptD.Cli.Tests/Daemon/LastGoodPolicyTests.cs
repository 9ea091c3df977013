using AcceptD.Daemon;

namespace AcceptD.Cli.Tests.Daemon;

public sealed class LastGoodPolicyTests : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("acceptd-lastgood-state-").FullName;
    private readonly string _policy = Directory.CreateTempSubdirectory("acceptd-lastgood-policy-").FullName;

    public void Dispose()
    {
        Directory.Delete(_state, recursive: true);
        Directory.Delete(_policy, recursive: true);
    }

    [Fact]
    public void A_clean_policy_is_kept_and_replaces_a_broken_one_later()
    {
        File.WriteAllText(Path.Combine(_policy, "50-a.rules"), "allow bus=pci reason=\"first\"\ndefault deny\n");
        var lastGood = new LastGoodPolicy(_state, HostContext.PolicyFiles);
        Assert.Null(lastGood.Load());
        var good = HostContext.LoadPolicy([_policy]).Policy!;
        Assert.Null(lastGood.Save(good));

        File.WriteAllText(Path.Combine(_policy, "50-a.rules"), "allow bus=pci colour=red\n");
        Assert.Null(HostContext.LoadPolicy([_policy]).Policy);
        var fallback = lastGood.Load()!;
        Assert.Equal("first", fallback.Rules.Single().Reason);
        Assert.Equal([Path.Combine(_state, "last-good-policy", "50-a.rules")], fallback.Files);
    }
}
