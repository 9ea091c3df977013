using AcceptD.Os.Sysfs;

namespace AcceptD.Testing;

/// <summary>Passes writes on to the kernel, except that a bind (of <paramref name="device"/> only, if named) waits until the test releases it.</summary>
public sealed class SlowBind(ISysfsWriter kernel, string? device = null) : ISysfsWriter
{
    public ManualResetEventSlim Entered { get; } = new();
    public ManualResetEventSlim Release { get; } = new();

    public void Write(string path, string value)
    {
        if ((path.EndsWith("/bind", StringComparison.Ordinal) || path.EndsWith("/drivers_probe", StringComparison.Ordinal)) && (device ?? value) == value)
        {
            Entered.Set();
            Release.Wait();
        }
        kernel.Write(path, value);
    }
}
