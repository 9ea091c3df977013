using AcceptD.Core.Devices;
using AcceptD.Core.Policy;

namespace AcceptD.Daemon;

/// <summary>
/// `acceptd accept|deny DEVICE [-p]` become policy lines in 10-operator.rules (sorted before the shipped rules, so
/// they win): one-time ones in the state directory's rules.d (gone at reboot), persistent ones in /etc/acceptd/rules.d
/// (<see cref="OperatorDecisions"/> chooses).
/// A device has at most one operator line: a new verdict replaces the old one.
/// </summary>
public static class OperatorRules
{
    public const string FileName = "10-operator.rules";

    /// <summary>Writes the rule; returns an error message naming the file when it cannot.</summary>
    public static string? Write(string directory, Device device, Verdict verdict)
    {
        var file = Path.Combine(directory, FileName);
        try
        {
            Directory.CreateDirectory(directory);
            var lines = Others(file, device).ToList();
            var reason = verdict == Verdict.Allow ? "accepted by operator" : "denied by operator";
            lines.Add(RulePrinter.Print(DeviceRule.For(device, verdict, reason: reason)));
            File.WriteAllLines(file, lines);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot write {file}: {e.Message}";
        }
    }

    public static void Remove(string directory, Device device)
    {
        var file = Path.Combine(directory, FileName);
        if (File.Exists(file)) File.WriteAllLines(file, Others(file, device));
    }

    private static IEnumerable<string> Others(string file, Device device)
    {
        if (!File.Exists(file)) return [];
        var marker = DeviceRule.Describe(device, Verdict.Allow)["allow".Length..];
        return File.ReadAllLines(file).Where(l => !l.Contains(marker, StringComparison.Ordinal));
    }
}
