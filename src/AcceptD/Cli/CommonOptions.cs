using System.CommandLine;

namespace AcceptD.Cli;

/// <summary>Options shared by several verbs, created fresh per command (System.CommandLine options belong to one parent).</summary>
public static class CommonOptions
{
    public static Option<string?> SysfsRoot() => new("--sysfs-root")
    {
        Description = "Read devices from this directory instead of / (it holds sys/, lib/modules/, proc/cmdline).",
    };

    public static Option<FileInfo?> Snapshot() => new("--snapshot")
    {
        Description = "Read devices, modules and command line from a snapshot made by 'acceptd snapshot'.",
    };

    public static Option<DirectoryInfo[]> Policy() => new("--policy")
    {
        Description = "Policy directory (repeatable); replaces the standard rules.d directories.",
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<string?> ModulesDir() => new("--modules-dir")
    {
        Description = "Module directory with modules.alias etc. (default: /lib/modules/$(uname -r) inside the root).",
    };

    public static Option<bool> Json() => new("--json") { Description = "Print JSON (schema in README)." };

    public static Option<string?> BusAddress() => new("--bus-address")
    {
        Description = "D-Bus address to use instead of the system bus (e.g. unix:path=/run/x/bus).",
    };
}
