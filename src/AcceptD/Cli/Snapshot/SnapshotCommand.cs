using System.CommandLine;
using AcceptD.Core.Devices;
using AcceptD.Core.Drivers;
using AcceptD.Os.Snapshot;
using AcceptD.Os.Sysfs;

namespace AcceptD.Cli.Snapshot;

/// <summary>
/// `acceptd snapshot -o FILE`: captures exactly what AcceptD reads of this host (devices, drivers, modules present,
/// the module index, modprobe.d, /proc/cmdline, the guest TSM) into one archive for `dry-run --snapshot`.
/// </summary>
public static class SnapshotCommand
{
    public static Command Create()
    {
        var output = new Option<FileInfo>("--output", "-o") { Description = "Archive to write (.tar.gz).", Required = true };
        var root = CommonOptions.SysfsRoot();
        var policy = CommonOptions.Policy();
        var command = new Command("snapshot", "Capture what AcceptD reads of this machine into a portable archive.") { output, root, policy };
        command.SetAction(result =>
        {
            var rootDir = Path.GetFullPath(result.GetValue(root) ?? "/");
            var recording = new RecordingFileView(new DirectoryFileView(rootDir));
            var loaded = HostContext.LoadPolicy(HostContext.PolicyDirectories(result.GetValue(policy) ?? []));
            Capture(recording, loaded.Policy?.AttributeNames ?? []);
            var file = result.GetValue(output)!;
            try
            {
                using var stream = file.Create();
                SnapshotArchive.Write(stream, recording, Environment.MachineName, DateTimeOffset.UtcNow);
            }
            catch (InvalidDataException e) // a name no snapshot may carry: refused rather than written unreadable
            {
                file.Delete();
                result.InvocationConfiguration.Error.WriteLine($"acceptd: {file.FullName} not written: {e.Message}");
                return CliErrors.Failure;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                result.InvocationConfiguration.Error.WriteLine($"acceptd: cannot write {file.FullName}: {e.Message}");
                return CliErrors.Failure;
            }
            result.InvocationConfiguration.Output.WriteLine(
                $"wrote {file.FullName}: {recording.Files.Count} files, {recording.Links.Count} links, {recording.Listings.Count} directories");
            return CliErrors.Ok;
        });
        return command;
    }

    /// <summary>Runs every read a dry-run makes, through the recording view.</summary>
    public static void Capture(IFileView files, IEnumerable<string> policyAttributes)
    {
        var release = files.Read(SysfsLayout.OsRelease) ?? "unknown";
        files.Read(SysfsLayout.CommandLine);
        new InventoryReader(files, policyAttributes.ToHashSet()).Read();
        ModuleIndex.Load(files, $"/lib/modules/{release}").Preload();
    }
}
