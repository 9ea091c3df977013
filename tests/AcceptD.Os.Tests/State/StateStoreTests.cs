using AcceptD.Os.State;
using AcceptD.Testing;

namespace AcceptD.Os.Tests.State;

/// <summary>state.json is a hint: whatever is in it (or where it cannot be written), the daemon starts and keeps going.</summary>
public sealed class StateStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("acceptd-statestore-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File_ => Path.Combine(_dir, StateStore.FileName);

    [Theory]
    [InlineData("""{"version":1}""", "no \"devices\" list")]
    [InlineData("""{"version":1,"devices":[null]}""", "a device record is null")]
    [InlineData("""{"version":1,"devices":[{"key":null,"bus":"pci"}]}""", "lacks key, bus, name, path or ids")]
    [InlineData("""{"version":1,"devices":[{"key":"pci/x","bus":"pci","name":"x","path":"/devices/x"}]}""", "lacks key, bus, name, path or ids")]
    [InlineData("""{"version":2,"devices":[]}""", "unsupported state version 2")]
    [InlineData("""{"version":1,"devices":[""", "corrupt")]
    [InlineData("null", "null")]
    public void An_unusable_state_file_is_ignored_with_a_reason_naming_it(string json, string why)
    {
        File.WriteAllText(File_, json);
        Assert.Null(new StateStore(_dir).Load(out var problem));
        Assert.StartsWith($"{File_}: ", problem);
        Assert.Contains(why, problem);
        Assert.EndsWith("ignored: starting from what sysfs shows", problem);
    }

    [Fact]
    public void Null_maps_are_read_as_empty_and_a_missing_file_is_no_problem()
    {
        Assert.Null(new StateStore(_dir).Load(out var none));
        Assert.Null(none);
        File.WriteAllText(File_, """{"version":1,"mode":null,"devices":[],"learnedDrivers":null,"operatorVerdicts":null}""");
        var state = new StateStore(_dir).Load(out var problem);
        Assert.Null(problem);
        Assert.Empty(state!.LearnedDrivers);
        Assert.Empty(state.OperatorVerdicts);
    }

    [Fact]
    public void A_fifo_or_a_directory_in_place_of_the_file_is_refused_without_hanging()
    {
        Assert.Equal(0, KernelTree.Run("mkfifo", [File_]).Code);
        Assert.Null(new StateStore(_dir).Load(out var problem));
        Assert.Contains("is a FIFO", problem);
        File.Delete(File_);
        Directory.CreateDirectory(File_);
        Assert.Null(new StateStore(_dir).Load(out problem));
        Assert.Contains("is a directory", problem);
    }

    [Fact]
    public void Saving_where_it_cannot_is_reported_not_thrown()
    {
        var notADirectory = Path.Combine(_dir, "file");
        File.WriteAllText(notADirectory, "");
        Assert.StartsWith($"cannot save {notADirectory}/state.json: ", new StateStore(notADirectory).Save(PersistedState.Empty("enforce")));
        Directory.CreateDirectory(File_); // state.json is a directory
        Assert.StartsWith($"cannot save {File_}: ", new StateStore(_dir).Save(PersistedState.Empty("enforce")));
    }
}
