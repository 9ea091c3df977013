namespace AcceptD.Cli;

/// <summary>Exit codes of the client verbs (list, show, accept, deny, lock, topology, reload, watch); see docs/dbus.md.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The daemon answered with an error (unknown device, refused, invalid argument), or the command line is wrong.</summary>
    public const int Failed = 1;
    /// <summary>No daemon to talk to: the bus is unreachable or nobody owns org.acceptd1.</summary>
    public const int NotRunning = 3;
    /// <summary>The daemon refused the caller: not root and not authorized by polkit.</summary>
    public const int AccessDenied = 4;
}
