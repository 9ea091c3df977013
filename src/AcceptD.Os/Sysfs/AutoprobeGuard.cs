using AcceptD.Core.Devices;
using AcceptD.Core.Planning;

namespace AcceptD.Os.Sysfs;

/// <summary>
/// Carries out <see cref="ZeroAutoprobe"/>: drivers_autoprobe to 0 on every bus or on one, read back to confirm.
/// Never faux: faux devices are torn down when nothing binds at once.
/// </summary>
public sealed class AutoprobeGuard(IFileView files, ISysfsWriter writer)
{
    /// <summary>Zeroes every bus still at 1 and reads it back; returns the buses that stayed on (write refused or ignored).</summary>
    public IReadOnlyList<string> ZeroAll()
    {
        var stuck = new List<string>();
        foreach (var bus in files.List(SysfsLayout.Buses))
            if (!Zero(bus)) stuck.Add(bus);
        return stuck;
    }

    /// <summary>
    /// A bus its add uevent announced: the kernel sends that uevent (kset_register) before it creates the bus's
    /// drivers_autoprobe (add_probe_files), so a daemon that is quick finds no file yet; it waits for it, briefly.
    /// </summary>
    public bool ZeroAnnounced(string bus)
    {
        for (var waited = 0; waited < AnnouncedBusWaitMs && files.Read(SysfsLayout.Autoprobe(bus)) is null
             && files.Exists(SysfsLayout.Bus(bus)); waited += 5)
            Thread.Sleep(5);
        return Zero(bus);
    }

    /// <summary>How long a new bus may take to get its drivers_autoprobe file (microseconds after its uevent in practice).</summary>
    private const int AnnouncedBusWaitMs = 2000;

    /// <summary>True when the bus now reads 0 (or is exempt, or has no autoprobe file).</summary>
    public bool Zero(string bus)
    {
        if (bus == ZeroAutoprobe.ExemptBus) return true;
        var file = SysfsLayout.Autoprobe(bus);
        var value = files.Read(file);
        if (value is null or "0") return true;
        try
        {
            writer.Write(file, "0");
        }
        catch (SysfsWriteException)
        {
            return false;
        }
        return files.Read(file) == "0";
    }
}
