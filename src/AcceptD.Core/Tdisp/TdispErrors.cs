namespace AcceptD.Core.Tdisp;

/// <summary>Turns a refused step into a reason an operator can act on (errno meanings per kernel-interfaces.md §4.3/§4.5).</summary>
public static class TdispErrors
{
    public static string Describe(TdispStepFailure failure)
    {
        var name = Name(failure.Errno);
        var meaning = (failure.Action, name) switch
        {
            (TdispAction.Lock, "EBUSY") => "device already locked or a driver is bound",
            (TdispAction.Lock, "ENXIO") => "not a devsec TSM",
            (TdispAction.Lock, "EINVAL") => "TSM name rejected",
            (TdispAction.Accept, "EINVAL") => "device not locked",
            (TdispAction.Accept, "EBUSY") => "a driver is bound",
            (TdispAction.Accept, _) => "the TSM refused START_INTERFACE",
            (TdispAction.ReadEvidence, "ENODEV") => "the device has no evidence",
            (TdispAction.ReadEvidence, "EOPNOTSUPP") => "no evidence provider, or it cannot refresh with a nonce",
            (TdispAction.ReadEvidence, "EAGAIN") => "evidence kept changing while it was read",
            (TdispAction.ReadEvidence, "ENOENT") => "the kernel has no evidence netlink family",
            (TdispAction.Validate, "EAGAIN") => "evidence changed after it was verified",
            (TdispAction.BindFinal, "ENODEV") => "the driver does not match the device",
            (TdispAction.BindFinal, "EBUSY") => "the device is already bound",
            _ => null,
        };
        var step = failure.Action.ToString().ToLowerInvariant();
        return $"{step} refused: {name}" + (meaning is null ? "" : $" ({meaning})") +
            (string.IsNullOrEmpty(failure.Message) ? "" : $": {failure.Message}");
    }

    public static string Name(int errno) => errno switch
    {
        1 => "EPERM",
        2 => "ENOENT",
        4 => "EINTR",
        5 => "EIO",
        6 => "ENXIO",
        11 => "EAGAIN",
        12 => "ENOMEM",
        13 => "EACCES",
        16 => "EBUSY",
        19 => "ENODEV",
        22 => "EINVAL",
        71 => "EPROTO",
        95 => "EOPNOTSUPP",
        110 => "ETIMEDOUT",
        _ => $"errno {errno}",
    };
}
