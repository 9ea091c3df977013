namespace AcceptD.Os.Modules;

/// <summary>
/// finit_module(2) on the module file below the modules directory. EEXIST (already loaded) is success.
/// Compressed files are handed to the kernel to decompress (MODULE_INIT_COMPRESSED_FILE, Linux ≥ 5.17).
/// </summary>
public sealed class KernelModuleLoader(string modulesDirectory) : IModuleLoader
{
    private const int MODULE_INIT_COMPRESSED_FILE = 4;

    public void Load(string module, string relativePath, string? parameters)
    {
        var path = Path.Combine(modulesDirectory, relativePath);
        var fd = Libc.Open(path, Libc.O_RDONLY | Libc.O_CLOEXEC);
        if (fd < 0) throw Fail(module);
        try
        {
            var flags = relativePath.EndsWith(".ko", StringComparison.Ordinal) ? 0 : MODULE_INIT_COMPRESSED_FILE;
            if (Libc.FinitModule(fd, parameters ?? "", flags) != 0)
            {
                var errno = Errno.Last;
                if (errno != Errno.EEXIST) throw new ModuleLoadException(module, errno, Errno.Message(errno));
            }
        }
        finally
        {
            _ = Libc.Close(fd);
        }
    }

    private static ModuleLoadException Fail(string module)
    {
        var errno = Errno.Last;
        return new ModuleLoadException(module, errno, Errno.Message(errno));
    }
}
