namespace AcceptD.Core.Drivers;

/// <summary>How sure AcceptD is of a candidate's driver name before binding.</summary>
public enum DriverNameSource
{
    /// <summary>The device is bound to this driver now.</summary>
    Bound,
    /// <summary>Read from /sys/bus/&lt;bus&gt;/drivers/&lt;drv&gt;/module: the module is loaded or built in.</summary>
    Loaded,
    /// <summary>From the table of known module → driver names, or learned at run time; confirmed after loading.</summary>
    Learned,
    /// <summary>Named by the deciding policy rule.</summary>
    Policy,
    /// <summary>Nothing known: the module name is used and confirmed after loading.</summary>
    Guessed,
}

/// <summary>A module that can drive a device and, when known, the name its driver registers on the bus.</summary>
public sealed record Candidate(string Module, string? Driver, DriverNameSource Source, bool Builtin = false, bool OverrideOnly = false)
{
    /// <summary>The driver name to use for binding: the known one, else the module name.</summary>
    public string DriverOrModule => Driver ?? Module;

    public bool DriverCertain => Source is DriverNameSource.Bound or DriverNameSource.Loaded;
}
