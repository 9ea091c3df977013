using AcceptD.Core.Devices;
using AcceptD.Core.State;

namespace AcceptD.Os.State;

/// <summary>What a starting daemon resumes from: the validated state and the prebound record it checks bindings against.</summary>
public sealed record RecoveredState(PersistedState State, PreboundRecord Prebound, IReadOnlyList<string> Warnings);

/// <summary>
/// Start-up of a daemon instance: state.json (if an earlier instance of this boot left one), the prebound record
/// (the early shim's; when there is none, the first instance records what it finds bound before it changes
/// anything), both checked by <see cref="PersistedStateValidator"/> against the kernel's uevent_seqnum.
/// </summary>
public static class StateRecovery
{
    public static RecoveredState Load(StateStore store, PreboundFile preboundFile, IFileView sysfs, string mode, bool dryRun)
    {
        var saved = store.Load(out var loadProblem);
        var (prebound, problems) = preboundFile.Load();
        var warnings = problems.ToList();
        if (loadProblem is not null) warnings.Add(loadProblem);
        // Only the very first instance (no state file at all, not even an unusable one) may take what it finds bound
        // as pre-bound: after a crash an unreadable state must not turn a binding made meanwhile into a pre-bound one.
        if (prebound is null && saved is null && loadProblem is null)
        {
            prebound = PreboundRecord.FromSysfs(sysfs);
            warnings.Add($"{preboundFile.FilePath}: no early shim record; the {prebound.Count} devices bound now count as pre-bound");
            try
            {
                if (!dryRun) preboundFile.Write(prebound, "written by the first acceptd daemon of this boot (no early shim record)");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                warnings.Add($"{preboundFile.FilePath}: cannot write ({e.Message}); after a restart no binding counts as pre-bound");
            }
        }
        else if (prebound is null)
        {
            prebound = PreboundRecord.Empty;
            warnings.Add($"{preboundFile.FilePath}: missing although {store.FilePath} exists; no binding counts as pre-bound");
        }
        var kernelSeqNum = ulong.TryParse(sysfs.Read(SysfsLayout.UeventSeqnum), out var seq) ? seq : 0;
        var validated = PersistedStateValidator.Validate(saved ?? PersistedState.Empty(mode), prebound, kernelSeqNum);
        return new RecoveredState(validated.State, prebound, [.. warnings, .. validated.Warnings]);
    }
}
