using System.Runtime.InteropServices;

namespace AcceptD.Os.Native;

/// <summary>
/// The libsystemd sd-bus entry points we call (sd-bus.h, systemd 252). Only non-variadic functions: variadic ones
/// (sd_bus_message_read, sd_bus_call_method, ...) cannot be called portably from C#, so values go through the
/// *_basic and container functions one at a time. Pointers to sd_bus, sd_bus_message, sd_bus_slot and
/// sd_bus_creds stay opaque IntPtrs.
/// </summary>
internal static unsafe partial class LibSdBus
{
    public const string Library = "libsystemd.so.0";

    public const ulong CredsEuid = 1UL << 4, CredsAugment = 1UL << 63; // sd_bus_creds mask bits

    [LibraryImport(Library)] public static partial int sd_bus_open_system(out IntPtr bus);
    [LibraryImport(Library)] public static partial int sd_bus_new(out IntPtr bus);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)] public static partial int sd_bus_set_address(IntPtr bus, string address);
    [LibraryImport(Library)] public static partial int sd_bus_set_bus_client(IntPtr bus, int b);
    [LibraryImport(Library)] public static partial int sd_bus_start(IntPtr bus);
    [LibraryImport(Library)] public static partial IntPtr sd_bus_flush_close_unref(IntPtr bus);
    [LibraryImport(Library)] public static partial int sd_bus_get_unique_name(IntPtr bus, out IntPtr name);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)] public static partial int sd_bus_request_name(IntPtr bus, string name, ulong flags);

    [LibraryImport(Library)] public static partial int sd_bus_get_fd(IntPtr bus);
    [LibraryImport(Library)] public static partial int sd_bus_get_events(IntPtr bus);
    [LibraryImport(Library)] public static partial int sd_bus_get_timeout(IntPtr bus, out ulong usec);
    [LibraryImport(Library)] public static partial int sd_bus_process(IntPtr bus, IntPtr ret);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int sd_bus_add_object_vtable(IntPtr bus, IntPtr slot, string path, string iface, IntPtr vtable, IntPtr userdata);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int sd_bus_add_fallback_vtable(IntPtr bus, IntPtr slot, string prefix, string iface, IntPtr vtable,
        delegate* unmanaged[Cdecl]<IntPtr, byte*, byte*, IntPtr, IntPtr*, IntPtr, int> find, IntPtr userdata);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int sd_bus_add_node_enumerator(IntPtr bus, IntPtr slot, string path,
        delegate* unmanaged[Cdecl]<IntPtr, byte*, IntPtr, byte***, IntPtr, int> callback, IntPtr userdata);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int sd_bus_add_match(IntPtr bus, IntPtr slot, string match,
        delegate* unmanaged[Cdecl]<IntPtr, IntPtr, IntPtr, int> callback, IntPtr userdata);

    [LibraryImport(Library)] public static partial IntPtr sd_bus_slot_unref(IntPtr slot);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int sd_bus_emit_properties_changed_strv(IntPtr bus, string path, string iface, IntPtr names);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int sd_bus_path_encode(string prefix, string externalId, out IntPtr path);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int sd_bus_path_decode(string path, string prefix, out IntPtr externalId);

    // Messages.
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int sd_bus_message_new_method_call(IntPtr bus, out IntPtr m, string? destination, string path, string iface, string member);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int sd_bus_message_new_signal(IntPtr bus, out IntPtr m, string path, string iface, string member);

    [LibraryImport(Library)] public static partial int sd_bus_message_new_method_return(IntPtr call, out IntPtr m);
    [LibraryImport(Library)] public static partial IntPtr sd_bus_message_unref(IntPtr m);
    [LibraryImport(Library)] public static partial int sd_bus_send(IntPtr bus, IntPtr m, IntPtr cookie);
    [LibraryImport(Library)] public static partial int sd_bus_call(IntPtr bus, IntPtr m, ulong usec, SdBusError* error, out IntPtr reply);
    [LibraryImport(Library)] public static partial IntPtr sd_bus_message_get_bus(IntPtr m);
    [LibraryImport(Library)] public static partial IntPtr sd_bus_message_get_sender(IntPtr m);
    [LibraryImport(Library)] public static partial IntPtr sd_bus_message_get_member(IntPtr m);

    [LibraryImport(Library)] public static partial int sd_bus_message_append_basic(IntPtr m, byte type, void* p);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)] public static partial int sd_bus_message_open_container(IntPtr m, byte type, string contents);
    [LibraryImport(Library)] public static partial int sd_bus_message_close_container(IntPtr m);
    [LibraryImport(Library)] public static partial int sd_bus_message_read_basic(IntPtr m, byte type, void* p);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)] public static partial int sd_bus_message_enter_container(IntPtr m, byte type, string? contents);
    [LibraryImport(Library)] public static partial int sd_bus_message_exit_container(IntPtr m);
    [LibraryImport(Library)] public static partial int sd_bus_message_peek_type(IntPtr m, byte* type, byte** contents);
    [LibraryImport(Library)] public static partial int sd_bus_message_skip(IntPtr m, IntPtr types);

    // Errors.
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)] public static partial int sd_bus_error_set(IntPtr e, string name, string message);
    [LibraryImport(Library)] public static partial void sd_bus_error_free(SdBusError* e);

    // Credentials.
    [LibraryImport(Library)] public static partial int sd_bus_query_sender_creds(IntPtr m, ulong mask, out IntPtr creds);
    [LibraryImport(Library)] public static partial int sd_bus_creds_get_euid(IntPtr creds, out uint euid);
    [LibraryImport(Library)] public static partial IntPtr sd_bus_creds_unref(IntPtr creds);

    public static string? Utf8(IntPtr p) => p == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(p);
}

/// <summary>sd_bus_error: { const char *name; const char *message; int _need_free; }.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SdBusError
{
    public IntPtr Name;
    public IntPtr Message;
    public int NeedFree;
}
