namespace AcceptD.Core.Tdisp;

/// <summary>
/// The devsec-phase2 "device trust" module parameter [P] (kernel-interfaces.md §4.6): every module accepts
/// <c>trust=</c>, and a device takes its driver's level when it binds. A kernel without CONFIG_DEVICE_TRUST logs the
/// parameter and ignores it (Debian's kernel: "unknown parameter 'trust' ignored"), so passing it is always safe.
/// </summary>
public static class DeviceTrust
{
    /// <summary>A prepare driver: constrained, the level an unlocked (not yet verified) device may be bound at.</summary>
    public const string Adversary = "trust=adversary";

    /// <summary>The final driver of an accepted TDISP device: may use private (T=1) DMA.</summary>
    public const string Tcb = "trust=tcb";

    /// <summary>The module's modprobe.d options with the trust level added last.</summary>
    public static string With(string? options, string trust) => string.IsNullOrEmpty(options) ? trust : $"{options} {trust}";
}
