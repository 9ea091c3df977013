namespace AcceptD.Os.State;

/// <summary>
/// Why a uevent was dropped before it was judged, or how events were found lost; counted in state.json's
/// "ueventCounters" under the kebab-case name, so an operator (and the VM tests) can tell the reasons apart.
/// </summary>
public enum UeventCounter
{
    /// <summary>Sent by a userspace process straight to the multicast group (port id not 0).</summary>
    SenderNotKernel,
    /// <summary>Credentials (SCM_CREDENTIALS) of a uid other than 0.</summary>
    SenderNotRoot,
    NoCredentials,
    Truncated,
    Malformed,
    /// <summary>An "add" for a path sysfs does not have: forged through the kernel's relay, or already gone.</summary>
    NotInSysfs,
    /// <summary>The receive buffer overran (ENOBUFS): events were lost, all devices rescanned.</summary>
    Overflow,
    /// <summary>A SEQNUM gap: events were lost, all devices rescanned.</summary>
    SequenceGap,
}

public static class UeventCounterNames
{
    public static string Name(this UeventCounter counter) => counter switch
    {
        UeventCounter.SenderNotKernel => "sender-not-kernel",
        UeventCounter.SenderNotRoot => "sender-not-root",
        UeventCounter.NoCredentials => "no-credentials",
        UeventCounter.Truncated => "truncated",
        UeventCounter.Malformed => "malformed",
        UeventCounter.NotInSysfs => "not-in-sysfs",
        UeventCounter.Overflow => "overflow",
        UeventCounter.SequenceGap => "sequence-gap",
        _ => throw new ArgumentOutOfRangeException(nameof(counter)),
    };
}
