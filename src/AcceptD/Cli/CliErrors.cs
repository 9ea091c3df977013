using System.CommandLine;
using AcceptD.Core.Policy;

namespace AcceptD.Cli;

/// <summary>Exit codes shared by the verbs (README "Exit codes") and the common ways of reporting errors.</summary>
public static class CliErrors
{
    public const int Ok = 0, Failure = 1, Usage = 2, NoDaemon = 3, AccessDenied = 4, MissingLibrary = 5;

    /// <summary>Loads the policy, printing every diagnostic; null when it has errors (it never loads partially).</summary>
    public static Policy? LoadPolicy(ParseResult result, IReadOnlyList<string> directories)
    {
        var loaded = HostContext.LoadPolicy(directories);
        foreach (var diagnostic in loaded.Diagnostics) result.InvocationConfiguration.Error.WriteLine(diagnostic.ToString());
        return loaded.Policy;
    }
}
