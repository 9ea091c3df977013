namespace AcceptD.Core.Drivers;

/// <summary>"softdep MODULE pre: A B post: C": modules to load before and after MODULE (names or aliases).</summary>
public sealed record Softdep(string Module, IReadOnlyList<string> Pre, IReadOnlyList<string> Post);
