namespace AcceptD.Core.State;

/// <summary>
/// Where a device is in AcceptD's life cycle. Sent over D-Bus and persisted as the lower-case name;
/// never renumber or reuse a name.
/// </summary>
public enum DeviceState
{
    /// <summary>Present, not yet decided.</summary>
    Seen,
    /// <summary>Decided; the plan is being carried out.</summary>
    Decided,
    /// <summary>Bound to the planned driver, confirmed through the driver link.</summary>
    Bound,
    /// <summary>Denied by policy; kept unbound.</summary>
    Denied,
    /// <summary>Left to the kernel by an ignore rule.</summary>
    Ignored,
    /// <summary>Allowed, but a step failed (no driver, probe error, TDISP failure): left unbound.</summary>
    Failed,
    /// <summary>Bound without approval (hot-add race, topology lock, behind our back); unbound if possible.</summary>
    Violation,
    /// <summary>Allowed but waiting (probe deferred, TSM not ready).</summary>
    Pending,
    /// <summary>Would be denied, but permissive mode leaves it as the kernel has it.</summary>
    Reported,
}

/// <summary>The wire name of a state (JSON, D-Bus, journald, CLI): lower camel case, e.g. "violation".</summary>
public static class DeviceStateNames
{
    public static string Name(this DeviceState state) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(state.ToString());

    public static DeviceState? Parse(string name) =>
        Enum.GetValues<DeviceState>().Cast<DeviceState?>().FirstOrDefault(s => s!.Value.Name() == name);
}
