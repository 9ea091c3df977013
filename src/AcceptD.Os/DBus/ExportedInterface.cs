using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AcceptD.Os.DBus;

/// <summary>Handles one method call: reads the arguments from <paramref name="call"/>, appends the results to <paramref name="reply"/>.
/// Throw <see cref="BusErrorException"/> to answer with a named error instead.</summary>
public delegate void BusMethodHandler(BusMessage call, BusMessage reply);

/// <summary>Appends the value of one property of the object at <paramref name="path"/> to <paramref name="reply"/>.</summary>
public delegate void BusPropertyGetter(string path, BusMessage reply);

/// <summary>The objects behind a fallback registration: whether a path exists, and all paths (for introspection).</summary>
public sealed record BusObjectTree(Func<string, bool> Exists, Func<IReadOnlyList<string>> Paths);

/// <summary>
/// An interface declaration bound to its C# handlers, ready to register on any connection (and again after a
/// reconnect). The constructor refuses a handler set that does not match the declaration member for member.
/// Native callbacks are static and catch everything: no exception ever unwinds into libsystemd.
/// </summary>
public sealed unsafe class ExportedInterface : IDisposable
{
    private readonly IReadOnlyDictionary<string, BusMethodHandler> _methods;
    private readonly IReadOnlyDictionary<string, BusPropertyGetter> _properties;
    private readonly Action<Exception> _onUnexpected;
    private readonly SdBusVtable _vtable;
    private GCHandle _self;

    public ExportedInterface(BusInterfaceInfo info, IReadOnlyDictionary<string, BusMethodHandler> methods,
        IReadOnlyDictionary<string, BusPropertyGetter> properties, IEnumerable<string> emittedSignals, Action<Exception> onUnexpected,
        BusObjectTree? tree = null)
    {
        var mismatch = Mismatches(info, methods.Keys, properties.Keys, emittedSignals);
        if (mismatch.Count > 0)
            throw new InvalidOperationException($"D-Bus interface {info.Name} does not match its handlers: {string.Join("; ", mismatch)}");
        Info = info;
        Tree = tree;
        _methods = methods;
        _properties = properties;
        _onUnexpected = onUnexpected;
        _vtable = new SdBusVtable(info,
            (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, IntPtr, IntPtr, int>)&OnMethod,
            (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, byte*, byte*, byte*, IntPtr, IntPtr, IntPtr, int>)&OnGetProperty);
        _self = GCHandle.Alloc(this);
    }

    public BusInterfaceInfo Info { get; }

    public BusObjectTree? Tree { get; }

    internal IntPtr Vtable => _vtable.Pointer;

    internal IntPtr UserData => GCHandle.ToIntPtr(_self);

    /// <summary>
    /// Every declared method, property and signal the code does not serve or emit, and everything the code has that
    /// the declaration lacks.
    /// </summary>
    public static IReadOnlyList<string> Mismatches(BusInterfaceInfo info, IEnumerable<string> methodHandlers,
        IEnumerable<string> propertyGetters, IEnumerable<string> emittedSignals)
    {
        static IEnumerable<string> Diff(string kind, IEnumerable<string> declared, IEnumerable<string> code) =>
            declared.Except(code).Select(n => $"{kind} {n} has no handler").Concat(code.Except(declared).Select(n => $"handler for {kind} {n} is not in the interface"));
        return [.. Diff("method", info.Methods.Select(m => m.Name), methodHandlers),
            .. Diff("property", info.Properties.Select(p => p.Name), propertyGetters),
            .. Diff("signal", info.Signals.Select(p => p.Name), emittedSignals)];
    }

    /// <summary>Call only after every connection it was registered on is closed.</summary>
    public void Dispose()
    {
        if (!_self.IsAllocated) return;
        _self.Free();
        _vtable.Dispose();
    }

    private static ExportedInterface From(IntPtr userdata) => (ExportedInterface)GCHandle.FromIntPtr(userdata).Target!;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnMethod(IntPtr message, IntPtr userdata, IntPtr error)
    {
        ExportedInterface? target = null;
        try
        {
            target = From(userdata);
            var call = new BusMessage(message);
            if (call.Member is not { } member || !target._methods.TryGetValue(member, out var handler))
                return SetError(error, "org.freedesktop.DBus.Error.UnknownMethod", $"no method {call.Member}");
            Check(LibSdBus.sd_bus_message_new_method_return(message, out var reply), "create reply");
            try
            {
                handler(call, new BusMessage(reply));
                Check(LibSdBus.sd_bus_send(IntPtr.Zero, reply, IntPtr.Zero), "send reply");
            }
            finally
            {
                LibSdBus.sd_bus_message_unref(reply);
            }
            return 1;
        }
        catch (Exception e)
        {
            return Fail(target, e, error);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnGetProperty(IntPtr bus, byte* path, byte* iface, byte* property, IntPtr reply, IntPtr userdata, IntPtr error)
    {
        ExportedInterface? target = null;
        try
        {
            target = From(userdata);
            var name = Marshal.PtrToStringUTF8((IntPtr)property)!;
            target._properties[name](Marshal.PtrToStringUTF8((IntPtr)path)!, new BusMessage(reply));
            return 1;
        }
        catch (Exception e)
        {
            return Fail(target, e, error);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    internal static int OnFind(IntPtr bus, byte* path, byte* iface, IntPtr userdata, IntPtr* found, IntPtr error)
    {
        ExportedInterface? target = null;
        try
        {
            target = From(userdata);
            if (!target.Tree!.Exists(Marshal.PtrToStringUTF8((IntPtr)path)!)) return 0;
            *found = userdata;
            return 1;
        }
        catch (Exception e)
        {
            return Fail(target, e, error);
        }
    }

    /// <summary>Returns a malloc'ed NULL-terminated array of malloc'ed strings; sd-bus frees it.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    internal static int OnEnumerate(IntPtr bus, byte* prefix, IntPtr userdata, byte*** nodes, IntPtr error)
    {
        ExportedInterface? target = null;
        try
        {
            target = From(userdata);
            var paths = target.Tree!.Paths();
            var array = (byte**)NativeMemory.AllocZeroed((nuint)(paths.Count + 1), (nuint)sizeof(IntPtr));
            for (int i = 0; i < paths.Count; i++) array[i] = (byte*)Marshal.StringToCoTaskMemUTF8(paths[i]);
            *nodes = array;
            return 0;
        }
        catch (Exception e)
        {
            return Fail(target, e, error);
        }
    }

    private static int Fail(ExportedInterface? target, Exception e, IntPtr error)
    {
        if (e is BusErrorException named) return SetError(error, named.Name, named.Message);
        try { target?._onUnexpected(e); } catch { /* the logger failing must not cross into libsystemd either */ }
        return SetError(error, BusErrorException.Failed, "internal error: " + e.Message);
    }

    private static int SetError(IntPtr error, string name, string message)
    {
        int r = LibSdBus.sd_bus_error_set(error, name, message);
        return r < 0 ? r : -Errno.EINVAL;
    }

    private static void Check(int r, string what)
    {
        if (r < 0) throw new BusErrorException(BusErrorException.Failed, $"sd-bus: {what}: {Errno.Describe(r)}");
    }
}
