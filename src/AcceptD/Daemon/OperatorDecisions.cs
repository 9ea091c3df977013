using AcceptD.Core.Devices;
using AcceptD.Core.Policy;
using AcceptD.Core.State;
using AcceptD.Daemon.Control;

namespace AcceptD.Daemon;

/// <summary>
/// `acceptd accept|deny DEVICE [-p]`: the decision becomes an operator rule (<see cref="OperatorRules"/>) and the
/// policy is reloaded, so it is decided like any other rule and survives rescans. One-time rules go to the state
/// directory's rules.d (gone at reboot), persistent ones to <paramref name="persistentDirectory"/>. A reload that fails
/// takes the rule back out: the request changes nothing.
/// </summary>
/// <param name="policyDirectories">The directories the daemon reads: a decision written anywhere else would change nothing.</param>
public sealed class OperatorDecisions(string oneTimeDirectory, string persistentDirectory, IReadOnlyList<string> policyDirectories)
{
    public const string StandardPersistentDirectory = "/etc/acceptd/rules.d";

    /// <param name="reload">Reloads the policy and re-decides every device (on the gate's worker).</param>
    /// <param name="current">The gate's snapshot after the reload.</param>
    public GateResult Decide(GateSnapshot before, DeviceTree tree, string device, Verdict verdict, bool persistent,
        Func<GateResult> reload, Func<GateSnapshot> current)
    {
        var record = before.Find(device);
        if (record is null) return GateResult.Refused($"unknown device '{device}'");
        if (verdict == Verdict.Allow && before.TopologyLocked)
            return GateResult.Refused($"{record.Key}: the topology is locked; no device can be accepted until reboot");
        var present = tree.Find(record.Key);
        if (present is null) return GateResult.Refused($"{record.Key} is no longer present");
        var directory = persistent ? persistentDirectory : oneTimeDirectory;
        if (!policyDirectories.Contains(directory))
            return GateResult.Refused($"{record.Key}: this daemon does not read {directory} (started with --policy " +
                $"{string.Join(" --policy ", policyDirectories.Where(d => d != oneTimeDirectory))}); a persistent decision there would " +
                "change nothing: add a rule to one of those directories, or accept without -p");
        if (OperatorRules.Write(directory, present, verdict) is { } error) return GateResult.Refused(error);
        var reloaded = reload();
        if (!reloaded.Ok)
        {
            OperatorRules.Remove(directory, present);
            return reloaded;
        }
        var after = current().Records.GetValueOrDefault(record.Key);
        return GateResult.Done($"{record.Key}: {verdict.ToString().ToLowerInvariant()} ({(persistent ? "persistent" : "until reboot")}); now {after?.State.Name()}");
    }
}
