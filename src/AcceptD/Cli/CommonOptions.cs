using System.CommandLine;
using System.CommandLine.Parsing;
using AcceptD.Core.Text;

namespace AcceptD.Cli;

/// <summary>
/// Options shared by several verbs, created fresh per command (System.CommandLine options belong to one parent).
/// Paths are checked when the command line is parsed, so a verb never starts on an empty, missing or wrong-kind
/// path: `--policy /nonexistent` would otherwise be a deny-all policy, `--sysfs-root /typo` a host with no devices.
/// </summary>
public static class CommonOptions
{
    public static Option<string?> SysfsRoot() => MustBe(new Option<string?>("--sysfs-root")
    {
        Description = "Read devices from this directory instead of / (it holds sys/, lib/modules/, proc/cmdline).",
    }, PathKind.Directory);

    public static Option<FileInfo?> Snapshot() => MustBe(new Option<FileInfo?>("--snapshot")
    {
        Description = "Read devices, modules and command line from a snapshot made by 'acceptd snapshot'.",
        CustomParser = r => r.Tokens.Count == 0 || r.Tokens[0].Value.Length == 0 ? null : new FileInfo(r.Tokens[0].Value),
    }, PathKind.File);

    public static Option<DirectoryInfo[]> Policy() => MustBe(new Option<DirectoryInfo[]>("--policy")
    {
        Description = "Policy directory (repeatable); replaces the standard rules.d directories.",
        AllowMultipleArgumentsPerToken = false,
        CustomParser = r => r.Tokens.Where(t => t.Value.Length > 0).Select(t => new DirectoryInfo(t.Value)).ToArray(),
    }, PathKind.Directory);

    public static Option<string?> ModulesDir() => MustBe(new Option<string?>("--modules-dir")
    {
        Description = "Module directory with modules.alias etc. (default: /lib/modules/$(uname -r) inside the root).",
    }, PathKind.Directory);

    public static Option<bool> Json() => new("--json") { Description = "Print JSON (schema in README)." };

    public static Option<string?> BusAddress() => new("--bus-address")
    {
        Description = "D-Bus address to use instead of the system bus (e.g. unix:path=/run/x/bus).",
    };

    public enum PathKind { File, Directory }

    /// <summary>Every value of the option must name an existing file or directory (as <paramref name="kind"/> says).</summary>
    public static T MustBe<T>(T option, PathKind kind) where T : Option
    {
        option.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
                if (PathProblem(token.Value, kind) is { } problem)
                    result.AddError($"{option.Name} '{Printable.Escape(token.Value)}': {problem}");
        });
        return option;
    }

    private static string? PathProblem(string path, PathKind kind)
    {
        if (path.Length == 0) return $"empty value; name a {(kind == PathKind.File ? "file" : "directory")}";
        if (kind == PathKind.Directory)
            return Directory.Exists(path) ? null : File.Exists(path) ? "is a file, not a directory" : "no such directory";
        return File.Exists(path) ? null : Directory.Exists(path) ? "is a directory, not a file" : "no such file";
    }
}
