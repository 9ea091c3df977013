using AcceptD.Core.Devices;

namespace AcceptD.Os.Sysfs;

/// <summary>
/// Keeps drivers_autoprobe at 0 on every bus. Run at start, after each module load (a module may register a bus,
/// which starts at 1) and on bus "add" uevents. Never faux: faux devices are torn down when nothing binds at once.
/// </summary>
public sealed class AutoprobeGuard(IFileView files, ISysfsWriter writer)
{
    public const string ExemptBus = "faux";

    /// <summary>Zeroes every bus still at 1 and reads it back; returns the buses that stayed on (write refused or ignored).</summary>
    public IReadOnlyList<string> ZeroAll()
    {
        var stuck = new List<string>();
        foreach (var bus in files.List("/sys/bus"))
            if (!Zero(bus)) stuck.Add(bus);
        return stuck;
    }

    /// <summary>True when the bus now reads 0 (or is exempt, or has no autoprobe file).</summary>
    public bool Zero(string bus)
    {
        if (bus == ExemptBus) return true;
        var file = $"/sys/bus/{bus}/drivers_autoprobe";
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
