using System.CommandLine;
using AcceptD.Core.Policy;

namespace AcceptD.Cli.PolicyVerbs;

/// <summary>
/// `acceptd policy check [FILES|DIRS...]`: loads the policy as the daemon would (like `udevadm verify`) and prints
/// every diagnostic as file:line:col: message. Exit 1 on any error, else 0 with a one-line summary.
/// </summary>
public static class PolicyCheckCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Policy files or rules.d directories (default: the standard directories, else the shipped rules.d).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("check", "Check policy files for errors without touching any device.") { paths };
        command.SetAction(result =>
        {
            var loaded = Load(result.GetValue(paths) ?? []);
            foreach (var diagnostic in loaded.Diagnostics) result.InvocationConfiguration.Error.WriteLine(diagnostic.ToString());
            if (loaded.Policy is not { } policy) return CliErrors.Failure;
            result.InvocationConfiguration.Output.WriteLine($"policy OK: {policy.Rules.Length} rules in {policy.Files.Length} files");
            return CliErrors.Ok;
        });
        return command;
    }

    /// <summary>Directories load drop-in style (masking by name across them); files are added as given.</summary>
    private static PolicyLoadResult Load(IReadOnlyList<string> paths)
    {
        var view = HostContext.PolicyFiles;
        var dirs = paths.Count == 0 ? HostContext.PolicyDirectories([]) : paths.Where(Directory.Exists).Select(Path.GetFullPath).ToList();
        var files = paths.Where(p => !Directory.Exists(p)).Select(Path.GetFullPath);
        return PolicyLoader.LoadFiles(view, PolicyLoader.SelectFiles(view, dirs).Concat(files));
    }
}
