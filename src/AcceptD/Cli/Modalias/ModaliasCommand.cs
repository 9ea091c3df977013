using System.CommandLine;
using AcceptD.Core.Devices;
using AcceptD.Core.Drivers;
using AcceptD.Os.Sysfs;

namespace AcceptD.Cli.Modalias;

/// <summary>"acceptd modalias resolve MODALIAS...": the modules kmod would load for each modalias.</summary>
public static class ModaliasCommand
{
    public const int IndexMissing = 2;

    public static Command Create()
    {
        var modulesDir = CommonOptions.ModulesDir();
        var aliases = new Argument<string[]>("MODALIAS")
        {
            Description = "Modaliases (or aliases, or module names) to resolve, e.g. pci:v00001AF4d00001000sv00001AF4sd00000001bc02sc00i00.",
            Arity = ArgumentArity.OneOrMore,
        };
        var resolve = new Command("resolve", "Print the modules each modalias resolves to, as kmod does: one line per modalias, names separated by spaces, an empty line when none.")
        {
            modulesDir,
            aliases,
        };
        resolve.SetAction(parse => Resolve(new DirectoryFileView("/"), parse.GetValue(modulesDir), parse.GetValue(aliases) ?? [],
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return new Command("modalias", "Resolve modaliases to kernel modules.") { resolve };
    }

    /// <summary>Resolves against the module index in modulesDir (default /lib/modules/RELEASE of the running kernel).</summary>
    public static int Resolve(IFileView files, string? modulesDir, IReadOnlyList<string> aliases, TextWriter output, TextWriter error)
    {
        modulesDir ??= "/lib/modules/" + files.Read(SysfsLayout.OsRelease)?.Trim();
        var index = ModuleIndex.Load(files, modulesDir);
        if (!index.IsAvailable)
        {
            error.WriteLine($"acceptd: no module index in {modulesDir} (neither modules.alias nor modules.dep); run depmod or pass --modules-dir");
            return IndexMissing;
        }
        foreach (var alias in aliases) output.WriteLine(string.Join(' ', index.Resolve(alias)));
        // After the lookups: each index is opened by its first lookup, and only then is a damaged .bin noticed.
        foreach (var warning in index.Warnings) error.WriteLine($"acceptd: warning: {warning}");
        return 0;
    }
}
