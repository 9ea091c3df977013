using System.Collections.Immutable;
using AcceptD.Core.Devices;
using AcceptD.Core.Drivers;
using AcceptD.Core.Policy;
using LoadedPolicy = AcceptD.Core.Policy.Policy;

namespace AcceptD.Core.Tests.Policy;

/// <summary>Builds policies from text and typical devices for the policy tests.</summary>
internal static class PolicyTestKit
{
    public static LoadedPolicy Load(string text)
    {
        var result = PolicyLoader.FromSources([("test.rules", text)]);
        Assert.True(result.Policy is not null, string.Join("\n", result.Diagnostics));
        return result.Policy!;
    }

    /// <summary>The error messages of a policy that must not load.</summary>
    public static IReadOnlyList<PolicyDiagnostic> Errors(string text)
    {
        var result = PolicyLoader.FromSources([("test.rules", text)]);
        Assert.Null(result.Policy);
        return result.Diagnostics.Where(d => d.IsError).ToList();
    }

    public static Decision Decide(string policy, DeviceFacts facts) => new PolicyEvaluator(Load(policy)).Decide(facts);

    public static Device Pci(string name, string vendor, string device, uint cls = 0x020000, string? driver = null,
        string subVendor = "1af4", string subDevice = "0001", string? path = null) =>
        new("pci", name, path ?? "/devices/pci0000:00/" + name,
            $"pci:v0000{vendor.ToUpperInvariant()}d0000{device.ToUpperInvariant()}sv0000{subVendor.ToUpperInvariant()}sd0000{subDevice.ToUpperInvariant()}bc{cls >> 16:X2}sc{(cls >> 8) & 0xff:X2}i{cls & 0xff:X2}",
            driver, new DeviceIds(vendor, device, subVendor, subDevice, cls), HasDriverOverride: true);

    public static Device Virtio(string name, string device, string parentPath = "/devices/pci0000:00/0000:00:03.0") =>
        new("virtio", name, parentPath + "/" + name, $"virtio:d0000{device}v00001AF4", null, new DeviceIds("1af4", device));

    public static Device Plain(string bus, string name, string? driver = null, string? modalias = null) =>
        new(bus, name, $"/devices/{bus}/{name}", modalias, driver, DeviceIds.None);

    public static Candidate Module(string module, string? driver = null, DriverNameSource source = DriverNameSource.Learned) =>
        new(module, driver, driver is null ? DriverNameSource.Guessed : source);

    public static DeviceFacts Facts(Device device, params Candidate[] candidates) =>
        new(device, [], candidates, DeviceOrigin.Coldplug, BoundBeforeStart: false);

    public static DeviceFacts WithAttributes(this DeviceFacts facts, params (string Name, string Value)[] attributes) =>
        facts with { Device = facts.Device with { Attributes = attributes.ToImmutableSortedDictionary(a => a.Name, a => a.Value, StringComparer.Ordinal) } };

    /// <summary>A file of the repository (tests/data, src/AcceptD/rules.d), found from the test binary upwards.</summary>
    public static string RepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "AcceptD.sln"))) return Path.Combine(dir.FullName, relative);
        throw new InvalidOperationException("AcceptD.sln not found above " + AppContext.BaseDirectory);
    }
}
