namespace AcceptD.Core.Planning;

/// <summary>enforce: act on every decision; permissive: decide and report, bind only allowed devices, unbind nothing.</summary>
public enum EnforcementMode { Enforce, Permissive }

/// <summary>What to do with a device a built-in driver bound before AcceptD started and the policy denies.</summary>
public enum PreboundDenied { Report, Unbind }

public sealed record PlannerOptions(EnforcementMode Mode = EnforcementMode.Enforce, PreboundDenied PreboundDenied = PreboundDenied.Report);
