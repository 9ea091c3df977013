namespace AcceptD.Core.Policy;

/// <summary>Where a rule or a problem is: 1-based line and column; line 0 means the file as a whole.</summary>
public sealed record SourceLocation(string File, int Line, int Column)
{
    public override string ToString() => Line == 0 ? File : $"{File}:{Line}:{Column}";
}
