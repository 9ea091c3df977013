using AcceptD.Core.Text;

namespace AcceptD.Core.Policy;

public enum DiagnosticSeverity { Error, Warning }

/// <summary>A problem found while loading a policy; errors make the whole load fail, warnings are only shown.</summary>
/// <param name="Location">Null for problems of the policy as a whole (e.g. no default anywhere).</param>
public sealed record PolicyDiagnostic(DiagnosticSeverity Severity, SourceLocation? Location, string Message)
{
    public bool IsError => Severity == DiagnosticSeverity.Error;

    public static PolicyDiagnostic Error(SourceLocation location, string message) => new(DiagnosticSeverity.Error, location, message);

    /// <summary>"file:line:col: message", with "warning: " before the message of a warning; control characters escaped (messages quote policy text).</summary>
    public override string ToString()
    {
        var text = Severity == DiagnosticSeverity.Warning ? "warning: " + Message : Message;
        return Printable.Escape(Location is null ? text : $"{Location}: {text}");
    }
}
