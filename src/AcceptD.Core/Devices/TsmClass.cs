namespace AcceptD.Core.Devices;

/// <summary>
/// The TSM class devices (/sys/class/tsm, kernel-interfaces.md §4.2, §4.4 [P]). The TSM session locks TDISP devices
/// with <see cref="GuestTsm"/> and the planner trusts a bound TDISP device only while its tsm/lock names that same TSM,
/// so both take the name from here.
/// </summary>
public static class TsmClass
{
    /// <summary>The first TSM (in numeric order) whose pci_mode is "devsec"; null when the guest has none.</summary>
    public static string? GuestTsm(IFileView files) => files.List(SysfsLayout.TsmClass)
        .Where(name => files.Read(SysfsLayout.TsmPciMode(name)) == "devsec")
        .OrderBy(name => name.Length).ThenBy(name => name, StringComparer.Ordinal)
        .FirstOrDefault();
}
