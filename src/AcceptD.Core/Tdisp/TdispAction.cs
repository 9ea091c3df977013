namespace AcceptD.Core.Tdisp;

/// <summary>The steps of TDISP acceptance (kernel-interfaces.md §4.10), in their usual order.</summary>
public enum TdispAction
{
    /// <summary>Bind the prepare driver via driver_override, let it finish, unbind, clear the override.</summary>
    Prepare,
    /// <summary>Unbind a prepare driver left bound by an interrupted Prepare.</summary>
    UnbindPrepare,
    /// <summary>Write the TSM name to tsm/lock (CONFIG_UNLOCKED → CONFIG_LOCKED).</summary>
    Lock,
    /// <summary>Dump all evidence types with a fresh 32-byte nonce.</summary>
    ReadEvidence,
    /// <summary>Check the evidence against the reference values (pure).</summary>
    Verify,
    /// <summary>Ask the kernel whether the verified generation is still current.</summary>
    Validate,
    /// <summary>Write 1 to tsm/accept (CONFIG_LOCKED → RUN).</summary>
    Accept,
    /// <summary>Load the final driver with device trust, pin driver_override to it and bind.</summary>
    BindFinal,
    /// <summary>Fail closed: unbind if bound, unlock if locked, pin driver_override to "none".</summary>
    Abort,
    /// <summary>Fail closed as <see cref="Abort"/>: the verified evidence is not what the topology lock recorded.</summary>
    Violation,
    /// <summary>Terminal: accepted, verified in this run, bound to the final driver.</summary>
    Done,
    /// <summary>Terminal: nothing left to undo (the device is gone).</summary>
    Failed,
}

/// <summary>The next step and why (for Abort, Done and Failed: the outcome's reason).</summary>
public sealed record TdispStep(TdispAction Action, string Reason);

/// <summary>A step the kernel refused, with its errno (positive) and message.</summary>
public sealed record TdispStepFailure(TdispAction Action, int Errno, string Message);
