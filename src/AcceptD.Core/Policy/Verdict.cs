namespace AcceptD.Core.Policy;

/// <summary>What a rule (its target) or the policy decides for a device.</summary>
public enum Verdict
{
    /// <summary>Bind the device to the chosen driver.</summary>
    Allow,
    /// <summary>Keep the device away from every driver.</summary>
    Deny,
    /// <summary>Leave the device alone: AcceptD neither binds nor blocks it (housekeeping buses).</summary>
    Ignore,
    /// <summary>Lock, verify and accept the device through TDISP before binding it.</summary>
    Tdisp,
}
