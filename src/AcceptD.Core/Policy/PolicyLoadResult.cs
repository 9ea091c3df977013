using System.Collections.Immutable;

namespace AcceptD.Core.Policy;

/// <summary>A loaded policy, or null when any file had an error (never a partial policy), with every diagnostic.</summary>
public sealed record PolicyLoadResult(Policy? Policy, ImmutableArray<PolicyDiagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.IsError);
}
