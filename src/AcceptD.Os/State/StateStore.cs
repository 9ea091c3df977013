using System.Text.Json;

namespace AcceptD.Os.State;

/// <summary>
/// Keeps <see cref="PersistedState"/> in one JSON file, replaced atomically (write a temp file, rename), so a crash
/// of the daemon leaves either the old or the new state, never half of one. No fsync: the file lives on /run, a
/// tmpfs that holds one boot's state (a power loss ends the boot it describes), and the daemon saves after every
/// kernel write it carries out.
/// </summary>
public sealed class StateStore(string directory)
{
    public const string FileName = "state.json";

    public string FilePath => Path.Combine(directory, FileName);

    /// <summary>The saved state, or null when there is none. A corrupt file is an error naming it (never silently reset).</summary>
    public PersistedState? Load()
    {
        if (!File.Exists(FilePath)) return null;
        try
        {
            using var stream = File.OpenRead(FilePath);
            var state = JsonSerializer.Deserialize(stream, StateJson.Default.PersistedState);
            if (state is null || state.Version != PersistedState.CurrentVersion)
                throw new InvalidDataException($"{FilePath}: unsupported state version {state?.Version}");
            return state;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{FilePath}: corrupt state file ({e.Message})", e);
        }
    }

    public void Save(PersistedState state)
    {
        Directory.CreateDirectory(directory);
        var temp = FilePath + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, state, StateJson.Default.PersistedState);
        }
        File.Move(temp, FilePath, overwrite: true);
    }
}
