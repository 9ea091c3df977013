namespace AcceptD.Core.Text;

/// <summary>
/// Caps a list of diagnostics: a huge broken input (a 50 MB config) must not flood the journal with one line
/// per bad line. The first ones are the useful ones; the rest are counted.
/// </summary>
public static class DiagnosticLimit
{
    public const int DefaultMaximum = 20;

    public static IReadOnlyList<string> Cap(IReadOnlyList<string> diagnostics, int maximum = DefaultMaximum) =>
        diagnostics.Count <= maximum
            ? diagnostics
            : [.. diagnostics.Take(maximum), $"... and {diagnostics.Count - maximum} more"];
}
