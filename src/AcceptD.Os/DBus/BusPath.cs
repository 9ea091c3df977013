namespace AcceptD.Os.DBus;

/// <summary>sd-bus object path escaping: any string becomes one valid path element below a prefix, and back.</summary>
public static class BusPath
{
    public static string Encode(string prefix, string id)
    {
        BusConnection.Check(LibSdBus.sd_bus_path_encode(prefix, id, out var p), $"encode '{id}' as an object path");
        return TakeString(p);
    }

    /// <summary>The id below <paramref name="prefix"/>, or null when <paramref name="path"/> is not directly below it.</summary>
    public static string? Decode(string path, string prefix)
    {
        int r = LibSdBus.sd_bus_path_decode(path, prefix, out var p);
        return r > 0 ? TakeString(p) : null;
    }

    private static string TakeString(IntPtr p)
    {
        try { return LibSdBus.Utf8(p)!; }
        finally { Libc.Free(p); }
    }
}
