using AcceptD.Core.Devices;

namespace AcceptD.Os.Sysfs;

/// <summary>
/// The one bind path: driver_override, bind (or drivers_probe), unbind, each confirmed through the driver link. The
/// plan executor and the TDISP sequence both bind through it. A refused write throws <see cref="SysfsWriteException"/>
/// with the kernel's errno, which each caller maps to its own outcome.
/// </summary>
public sealed class DriverBinder(IFileView files, ISysfsWriter writer)
{
    /// <summary>Attempts at a bind the driver deferred (EAGAIN: a supplier may still be coming), 100, 200, 400 ms apart.</summary>
    private const int DeferredRetries = 3;

    public void Override(Device device, string value) => writer.Write(SysfsLayout.DriverOverride(device), value);

    /// <summary>
    /// Binds <paramref name="driver"/> through its bind file, or through drivers_probe (which honours driver_override)
    /// when it has none; <paramref name="hasBindFile"/> null means look. EBUSY from the driver we asked for is success.
    /// </summary>
    public void Bind(Device device, string driver, bool? hasBindFile)
    {
        var bindFile = SysfsLayout.DriverBind(device.Bus, driver);
        var target = hasBindFile ?? files.Exists(bindFile) ? bindFile : SysfsLayout.DriversProbe(device.Bus);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                writer.Write(target, device.Name);
                return;
            }
            catch (SysfsWriteException e) when (e.Errno == Errno.EAGAIN && attempt < DeferredRetries)
            {
                Thread.Sleep(100 << attempt);
            }
            catch (SysfsWriteException e) when (e.Errno == Errno.EBUSY && CurrentDriver(device) == driver)
            {
                return;
            }
        }
    }

    public void Unbind(Device device, string driver) => writer.Write(SysfsLayout.DriverUnbind(device.Bus, driver), device.Name);

    /// <summary>The driver the device is bound to now (its driver link), or null.</summary>
    public string? CurrentDriver(Device device) =>
        files.ReadLink(SysfsLayout.DriverLink(device)) is { } link ? SysfsLayout.LinkName(link) : null;
}
