namespace AcceptD.Os.Modules;

/// <summary>Loads one kernel module file. Dependencies are the caller's business (the plan orders them).</summary>
public interface IModuleLoader
{
    /// <exception cref="ModuleLoadException">The kernel refused the module.</exception>
    void Load(string module, string relativePath, string? parameters);
}

public sealed class ModuleLoadException(string module, int errno, string message)
    : IOException($"loading module {module} failed: {message} (errno {errno})")
{
    public string Module { get; } = module;
    public int Errno { get; } = errno;
}
