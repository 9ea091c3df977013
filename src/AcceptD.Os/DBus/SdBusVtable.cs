using System.Runtime.InteropServices;
using System.Text;

namespace AcceptD.Os.DBus;

/// <summary>
/// An sd_bus_vtable array in unmanaged memory, built from an interface description (sd-bus-vtable.h, x86-64):
/// 56-byte entries, byte 0 the type, bits 8–63 the flags, a union of pointers from offset 8. Strings and the table
/// live until <see cref="Dispose"/>, which must come after every slot using the table is gone.
/// </summary>
internal sealed unsafe class SdBusVtable : IDisposable
{
    private const int EntrySize = 56;
    private const ulong Unprivileged = 1UL << 2, PropertyConst = 1UL << 4, PropertyEmitsChange = 1UL << 5,
        PropertyEmitsInvalidation = 1UL << 6;
    private const ulong ParamNamesFeature = 1;

    private readonly List<IntPtr> _allocations = [];

    public IntPtr Pointer { get; }

    /// <summary>
    /// Every method is flagged unprivileged: reads are public, and mutating handlers check the caller themselves
    /// (sd-bus's own check would only admit CAP_SYS_ADMIN, with no polkit). Read-only properties are always
    /// readable; sd-bus rejects the flag on them.
    /// </summary>
    public SdBusVtable(BusInterfaceInfo info, IntPtr methodHandler, IntPtr propertyGetter)
    {
        int count = 2 + info.Methods.Length + info.Signals.Length + info.Properties.Length;
        var table = (byte*)NativeMemory.AllocZeroed((nuint)(count * EntrySize));
        Pointer = (IntPtr)table;
        var entry = table;

        Write(entry, '<', 0, EntrySize, (IntPtr)ParamNamesFeature, FormatReference.Value);
        foreach (var m in info.Methods)
            Write(entry += EntrySize, 'M', Unprivileged, Text(m.Name), Text(m.InSignature), Text(m.OutSignature),
                methodHandler, IntPtr.Zero, Names(m.Args.Where(a => !a.IsOut).Concat(m.Args.Where(a => a.IsOut))));
        foreach (var s in info.Signals)
            Write(entry += EntrySize, 'S', 0, Text(s.Name), Text(s.Signature), Names(s.Args));
        foreach (var p in info.Properties)
            Write(entry += EntrySize, 'P', PropertyFlags(p), Text(p.Name), Text(p.Type), propertyGetter, IntPtr.Zero, IntPtr.Zero);
        Write(entry + EntrySize, '>', 0);
    }

    public void Dispose()
    {
        foreach (var a in _allocations) NativeMemory.Free((void*)a);
        _allocations.Clear();
        NativeMemory.Free((void*)Pointer);
    }

    private static ulong PropertyFlags(BusPropertyInfo p) => p.EmitsChangedSignal switch
    {
        "true" => PropertyEmitsChange,
        "invalidates" => PropertyEmitsInvalidation,
        "const" => PropertyConst,
        _ => 0,
    };

    private static void Write(byte* entry, char type, ulong flags, params ReadOnlySpan<IntPtr> union)
    {
        *(ulong*)entry = (byte)type | (flags << 8);
        union.CopyTo(new Span<IntPtr>(entry + 8, union.Length));
    }

    private IntPtr Text(string s) => Bytes(Encoding.UTF8.GetBytes(s + "\0"));

    /// <summary>Parameter names, each NUL-terminated, the list ended by one more NUL (SD_BUS_PARAM / _WITH_NAMES).</summary>
    private IntPtr Names(IEnumerable<BusArg> args) => Bytes(Encoding.UTF8.GetBytes(string.Concat(args.Select(a => a.Name + "\0")) + "\0"));

    private IntPtr Bytes(byte[] bytes)
    {
        var p = (IntPtr)NativeMemory.Alloc((nuint)bytes.Length);
        bytes.CopyTo(new Span<byte>((void*)p, bytes.Length));
        _allocations.Add(p);
        return p;
    }

    /// <summary>&amp;sd_bus_object_vtable_format: a data symbol libsystemd uses to recognise the vtable layout version.</summary>
    private static readonly Lazy<IntPtr> FormatReference = new(() =>
        NativeLibrary.GetExport(NativeLibrary.Load(LibSdBus.Library), "sd_bus_object_vtable_format"));
}
