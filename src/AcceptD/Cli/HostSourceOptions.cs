using System.CommandLine;

namespace AcceptD.Cli;

/// <summary>Where a verb reads the host from: --sysfs-root, --snapshot and --modules-dir, added and opened together.</summary>
public sealed class HostSourceOptions
{
    private readonly Option<string?> _root = CommonOptions.SysfsRoot();
    private readonly Option<FileInfo?> _snapshot = CommonOptions.Snapshot();
    private readonly Option<string?> _modules = CommonOptions.ModulesDir();

    public void AddTo(Command command)
    {
        command.Options.Add(_root);
        command.Options.Add(_snapshot);
        command.Options.Add(_modules);
    }

    /// <summary>Opens the host view, or reports why not (e.g. a snapshot that is not one) and returns null.</summary>
    public HostContext? Open(ParseResult result)
    {
        try
        {
            return HostContext.Open(result.GetValue(_root), result.GetValue(_snapshot), result.GetValue(_modules));
        }
        catch (InvalidDataException e)
        {
            result.InvocationConfiguration.Error.WriteLine("acceptd: " + e.Message);
            return null;
        }
    }
}
