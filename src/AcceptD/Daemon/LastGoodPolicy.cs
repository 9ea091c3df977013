using AcceptD.Core.Devices;
using AcceptD.Core.Policy;

namespace AcceptD.Daemon;

/// <summary>
/// The source of the last policy that loaded cleanly, kept in &lt;state-dir&gt;/last-good-policy/ (under /run: this
/// boot only, it survives switch-root and daemon restarts). When the policy on disk has an error at start-up, the
/// daemon runs this one instead of binding nothing, and says so loudly; without one it fails closed as before.
/// </summary>
public sealed class LastGoodPolicy(string stateDirectory, IFileView policyFiles)
{
    public const string DirectoryName = "last-good-policy";

    public string Directory => Path.Combine(stateDirectory, DirectoryName);

    /// <summary>Copies the files of a policy that loaded cleanly (a new directory renamed into place); null or why not.</summary>
    public string? Save(Policy policy)
    {
        var temp = Directory + ".new";
        try
        {
            if (System.IO.Directory.Exists(temp)) System.IO.Directory.Delete(temp, recursive: true);
            System.IO.Directory.CreateDirectory(temp);
            foreach (var file in policy.Files)
            {
                // Names are unique: a name in one rules.d masks the same name in the others.
                if (policyFiles.Read(file) is not { } text) return $"cannot keep the last good policy: {file} changed while it was read";
                File.WriteAllText(Path.Combine(temp, Path.GetFileName(file)), text + "\n");
            }
            if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
            System.IO.Directory.Move(temp, Directory);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot keep the last good policy in {Directory}: {e.Message}";
        }
    }

    /// <summary>The saved policy, loaded and checked again; null when none was saved (or it no longer loads).</summary>
    public Policy? Load() =>
        System.IO.Directory.Exists(Directory) ? PolicyLoader.Load(policyFiles, [Directory]).Policy : null;
}
