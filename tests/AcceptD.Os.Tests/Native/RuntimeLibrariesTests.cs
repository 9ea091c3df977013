namespace AcceptD.Os.Tests.Native;

public sealed class RuntimeLibrariesTests
{
    [Fact]
    public void A_library_none_of_whose_sonames_loads_is_missing()
    {
        var missing = RuntimeLibraries.Missing(soname => soname != "libssl.so.3" && soname != "libssl.so.1.1");

        var library = Assert.Single(missing);
        Assert.Contains("libssl.so.3", library.Sonames);
        Assert.StartsWith("OpenSSL", library.Purpose);
    }

    [Fact]
    public void An_older_soname_the_runtime_accepts_is_enough()
    {
        Assert.Empty(RuntimeLibraries.Missing(soname => soname != "libssl.so.3"));
    }

    [Fact]
    public void Sd_bus_is_checked_by_the_soname_the_imports_use()
    {
        var missing = RuntimeLibraries.Missing(soname => soname != LibSdBus.Library);

        Assert.Equal([LibSdBus.Library], Assert.Single(missing).Sonames);
    }

    [Fact]
    public void On_this_machine_every_runtime_library_loads()
    {
        Assert.Empty(RuntimeLibraries.Missing(RuntimeLibraries.CanLoad));
    }
}
