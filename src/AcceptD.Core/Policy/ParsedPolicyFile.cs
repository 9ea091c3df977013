using System.Collections.Immutable;

namespace AcceptD.Core.Policy;

/// <summary>The rules (default lines included, in line order) and problems of one policy file.</summary>
public sealed record ParsedPolicyFile(string File, ImmutableArray<Rule> Rules, ImmutableArray<PolicyDiagnostic> Diagnostics);
