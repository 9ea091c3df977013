using System.Text.Json;
using AcceptD.Os.Files;

namespace AcceptD.Os.State;

/// <summary>
/// Keeps <see cref="PersistedState"/> in one JSON file, replaced atomically (write a temp file, rename), so a crash
/// of the daemon leaves either the old or the new state, never half of one. No fsync: the file lives on /run, a
/// tmpfs that holds one boot's state (a power loss ends the boot it describes), and the daemon saves after every
/// kernel write it carries out.
/// The file is a hint, never a reason to stop: every step is re-checked against sysfs, so a state file that cannot
/// be used (corrupt, truncated, nulls, too large, not a file) is reported and the daemon starts from sysfs, and a
/// state that cannot be saved is reported while the daemon keeps enforcing.
/// </summary>
public sealed class StateStore(string directory)
{
    public const string FileName = "state.json";

    public string FilePath => Path.Combine(directory, FileName);

    /// <summary>
    /// The saved state, or null when there is none or it cannot be used; then <paramref name="problem"/> says why,
    /// naming the file. Never throws.
    /// </summary>
    public PersistedState? Load(out string? problem)
    {
        problem = null;
        var read = BoundedFile.Read(FilePath, BoundedFile.StateLimit, strictUtf8: true);
        if (read.Missing) return null;
        string? why;
        PersistedState? state = null;
        if (read.Error is not null) why = read.Error;
        else
        {
            try
            {
                state = JsonSerializer.Deserialize(read.Text!, StateJson.Default.PersistedState);
                why = state is null ? "null" : Problem(state);
            }
            catch (JsonException e)
            {
                why = $"corrupt ({e.Message})";
            }
            why = why is null ? null : $"{FilePath}: {why}";
        }
        if (why is null)
            return state! with
            {
                LearnedDrivers = state!.LearnedDrivers ?? PersistedState.Empty("").LearnedDrivers,
                OperatorVerdicts = state.OperatorVerdicts ?? PersistedState.Empty("").OperatorVerdicts,
            };
        problem = why + "; ignored: starting from what sysfs shows";
        return null;
    }

    /// <summary>Null when the state was saved, else why not (naming the file).</summary>
    public string? Save(PersistedState state)
    {
        var temp = FilePath + ".tmp";
        try
        {
            Directory.CreateDirectory(directory);
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(stream, state, StateJson.Default.PersistedState);
            }
            File.Move(temp, FilePath, overwrite: true);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot save {FilePath}: {e.Message}";
        }
    }

    /// <summary>What makes a parsed state unusable: every record must have the fields the daemon keys on.</summary>
    private static string? Problem(PersistedState state) =>
        state.Version != PersistedState.CurrentVersion ? $"unsupported state version {state.Version}"
        : state.Devices.IsDefault ? "no \"devices\" list"
        : state.Devices.Any(d => d is null || d.Key is null || d.Bus is null || d.Name is null || d.Path is null || d.Ids is null)
            ? "a device record is null or lacks key, bus, name, path or ids"
        : null;
}
