using AcceptD.Os.Sysfs;

namespace AcceptD.Testing.TsmSimulator;

public sealed partial class SimulatedKernel
{
    /// <summary>Applies one sysfs write with the kernel's checks, in the kernel's order (drivers/pci/tsm/core.c [P]).</summary>
    public void Write(string path, string value)
    {
        if (!File.Exists(Host(path))) throw Fail(path, Errno.ENOENT, "No such file or directory");
        var text = value.TrimEnd('\n');
        if (path.StartsWith("/sys/bus/pci/drivers/", StringComparison.Ordinal))
            WriteDriverFile(path, text);
        else
            WriteDeviceFile(path, text);
        Applied($"{path} <- {text}");
    }

    private void WriteDeviceFile(string path, string text)
    {
        var device = _devices.Values.Single(d => path.StartsWith(d.Path + "/", StringComparison.Ordinal));
        var file = path[(device.Path.Length + 1)..];
        if (TsmRefusals.TryGetValue(file, out var refusal)) throw Fail(path, refusal, "refused by the TSM");
        switch (file)
        {
            case "driver_override":
                device.Override = text.Length == 0 ? null : text;
                break;
            case "tsm/lock":
                if (!text.StartsWith("tsm", StringComparison.Ordinal) || !int.TryParse(text[3..], out _)) throw Fail(path, Errno.EINVAL, "Invalid argument");
                if (Files.Read($"/sys/class/tsm/{text}/pci_mode") != "devsec") throw Fail(path, Errno.ENXIO, "No such device or address");
                if (device.LockedBy is not null || device.Driver is not null) throw Fail(path, Errno.EBUSY, "Device or resource busy");
                device.LockedBy = text;
                device.Generation++; // the TSM collects fresh evidence at LOCK_INTERFACE, with its own nonce
                device.Refresh();
                break;
            case "tsm/accept":
                if (!KstrToBool(text, out var yes) || !yes) throw Fail(path, Errno.EINVAL, "Invalid argument");
                if (device.LockedBy is null) throw Fail(path, Errno.EINVAL, "Invalid argument");
                if (device.Driver is not null) throw Fail(path, Errno.EBUSY, "Device or resource busy");
                if (device.Error) throw Fail(path, 5, "Input/output error");
                device.Accepted = true; // a second accept succeeds and changes nothing (phase2)
                break;
            case "tsm/unlock":
                if (device.LockedBy is null || device.LockedBy != text) throw Fail(path, Errno.EINVAL, "Invalid argument");
                if (device.Driver is not null) throw Fail(path, Errno.EBUSY, "Device or resource busy");
                (device.LockedBy, device.Accepted, device.Error) = (null, false, false);
                break;
            default:
                throw Fail(path, Errno.EACCES, "Permission denied");
        }
        Sync(device);
    }

    private void WriteDriverFile(string path, string bdf)
    {
        var parts = path.Split('/'); // "", sys, bus, pci, drivers, <driver>, bind|unbind
        var driver = parts[5];
        if (!_devices.TryGetValue(bdf, out var device) || !device.Present) throw Fail(path, Errno.ENODEV, "No such device");
        if (parts[6] == "bind")
        {
            if (device.Driver is not null) throw Fail(path, Errno.EBUSY, "Device or resource busy");
            var matches = device.Override is { } over ? over == driver : !_drivers[driver].OverrideOnly;
            if (!matches) throw Fail(path, Errno.ENODEV, "No such device");
            if (BindRefusedInState(device, _drivers[driver].Trust) is { } why) throw Fail(path, Errno.EBUSY, why);
            device.Driver = driver;
        }
        else
        {
            if (device.Driver != driver) throw Fail(path, Errno.ENODEV, "No such device");
            device.Driver = null;
        }
        Sync(device);
    }

    /// <summary>
    /// What the proposed kernel does with a bind per TDISP state (§4.3, §4.6, §4.8): RUN (accepted) binds;
    /// CONFIG_LOCKED and ERROR bind nothing, no T=1 access before START_INTERFACE [I]; CONFIG_UNLOCKED refuses a driver
    /// of ordinary trust with EBUSY as devsec.sh expects ("trust=auto" on a device not locked and accepted), and binds
    /// only a driver loaded with trust=adversary (constrained, no private memory) such as a prepare driver [I].
    /// </summary>
    private static string? BindRefusedInState(SimulatedDevice device, string trust) => device switch
    {
        { Error: true } => "TDISP ERROR: unlock first",
        { LockedBy: not null, Accepted: false } => "CONFIG_LOCKED: accept first",
        { LockedBy: null } when trust != "adversary" => "CONFIG_UNLOCKED: only an adversary-trust driver binds before the accept",
        _ => null,
    };

    private static bool KstrToBool(string text, out bool value)
    {
        value = false;
        if (text.Length == 0) return false;
        switch (char.ToLowerInvariant(text[0]))
        {
            case '1' or 'y' or 't': value = true; return true;
            case '0' or 'n' or 'f': return true;
            case 'o' when text.Length > 1:
                value = char.ToLowerInvariant(text[1]) == 'n';
                return char.ToLowerInvariant(text[1]) is 'n' or 'f';
            default: return false;
        }
    }

    private static SysfsWriteException Fail(string path, int errno, string message) => new(path, errno, message);
}
