using AcceptD.Core.Devices;
using AcceptD.Core.Drivers;
using AcceptD.Core.Policy;
using AcceptD.Core.Text;
using AcceptD.Os.Files;
using AcceptD.Os.Snapshot;
using AcceptD.Os.Sysfs;

namespace AcceptD;

/// <summary>
/// Where a command reads the host from: the live system (under a root, "/" normally), or a snapshot.
/// Policy files always come from the real filesystem; devices, modules and /proc from the host view.
/// </summary>
public sealed class HostContext
{
    private HostContext(IFileView files, string? liveRoot, string source, ModuleIndex modules)
    {
        Files = files;
        LiveRoot = liveRoot;
        Source = source;
        Modules = modules;
    }

    public IFileView Files { get; }

    /// <summary>The root of a live host ("/" or a test tree); null for a snapshot, which can never be written.</summary>
    public string? LiveRoot { get; }

    public string Source { get; }

    public ModuleIndex Modules { get; }

    public string KernelRelease => Files.Read(SysfsLayout.OsRelease) ?? "unknown";

    public string CommandLine => Files.Read(SysfsLayout.CommandLine) ?? "";

    /// <exception cref="InvalidDataException">The snapshot is not readable (message names the file).</exception>
    public static HostContext Open(string? sysfsRoot, FileInfo? snapshot, string? modulesDir)
    {
        IFileView files;
        string? liveRoot = null;
        string source;
        if (snapshot is not null)
        {
            using var stream = OpenSnapshot(snapshot);
            var view = SnapshotArchive.Read(stream, snapshot.FullName);
            files = view;
            source = $"snapshot {Printable.Escape(snapshot.Name)} of {Printable.Escape(view.Host)} taken {view.Created:u}"; // fields of a foreign archive
        }
        else
        {
            liveRoot = Path.GetFullPath(sysfsRoot ?? "/");
            files = new DirectoryFileView(liveRoot);
            source = liveRoot == "/" ? $"this machine ({Environment.MachineName})" : $"tree {liveRoot}";
        }
        var release = files.Read(SysfsLayout.OsRelease) ?? "unknown";
        var modules = modulesDir is null
            ? ModuleIndex.Load(files, $"/lib/modules/{release}")
            : ModuleIndex.Load(new DirectoryFileView("/"), Path.GetFullPath(modulesDir));
        return new HostContext(files, liveRoot, source, modules);
    }

    /// <summary>The policy directories: those given, else the standard ones; the shipped rules.d beside the binary when none of those exists.</summary>
    public static IReadOnlyList<string> PolicyDirectories(IReadOnlyList<DirectoryInfo> given, string? extra = null)
    {
        var dirs = given.Count > 0 ? given.Select(d => d.FullName).ToList() : PolicyLoader.StandardDirectories.ToList();
        if (given.Count == 0 && !dirs.Any(Directory.Exists)) dirs.Add(Path.Combine(AppContext.BaseDirectory, "rules.d"));
        if (extra is not null) dirs.Insert(0, extra);
        return dirs;
    }

    /// <summary>Policy files are read whole, capped, strictly as UTF-8, and only when they are regular files.</summary>
    public static PolicyLoadResult LoadPolicy(IReadOnlyList<string> directories) =>
        PolicyLoader.Load(PolicyFiles, directories);

    public static readonly IFileView PolicyFiles = new DirectoryFileView("/", BoundedFile.PolicyFileLimit, strictUtf8: true);

    private static FileStream OpenSnapshot(FileInfo snapshot)
    {
        try
        {
            return snapshot.OpenRead();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{snapshot.FullName}: {e.Message}", e);
        }
    }
}
