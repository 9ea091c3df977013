using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;

namespace AcceptD.Os.DBus;

/// <summary>
/// A borrowed sd_bus_message*: typed read and append helpers for the D-Bus types AcceptD uses
/// (s, o, b, u, t, arrays, structs, dict entries, variants). Every failed libsystemd call throws, so a wrong value
/// never goes out silently. The owner of the pointer decides its lifetime.
/// </summary>
public readonly unsafe struct BusMessage(IntPtr handle)
{
    public IntPtr Handle { get; } = handle;

    public string? Sender => LibSdBus.Utf8(LibSdBus.sd_bus_message_get_sender(Handle));
    public string? Member => LibSdBus.Utf8(LibSdBus.sd_bus_message_get_member(Handle));

    public BusMessage AppendString(string value) => AppendText((byte)'s', value);
    public BusMessage AppendObjectPath(string value) => AppendText((byte)'o', value);

    public BusMessage AppendBool(bool value)
    {
        int v = value ? 1 : 0;
        Check(LibSdBus.sd_bus_message_append_basic(Handle, (byte)'b', &v), "append b");
        return this;
    }

    public BusMessage AppendUInt32(uint value)
    {
        Check(LibSdBus.sd_bus_message_append_basic(Handle, (byte)'u', &value), "append u");
        return this;
    }

    public BusMessage AppendUInt64(ulong value)
    {
        Check(LibSdBus.sd_bus_message_append_basic(Handle, (byte)'t', &value), "append t");
        return this;
    }

    public BusMessage AppendStringArray(IEnumerable<string> values)
    {
        Open('a', "s");
        foreach (var v in values) AppendString(v);
        return Close();
    }

    /// <summary>Opens a container: 'a' (contents = element signature), 'r' struct, 'e' dict entry, 'v' variant.</summary>
    public BusMessage Open(char type, string contents)
    {
        var r = LibSdBus.sd_bus_message_open_container(Handle, (byte)type, contents);
        if (r < 0) Check(r, $"open {type}{contents}"); // the text only on failure: a reply of 1,000 devices opens 1,001 containers
        return this;
    }

    public BusMessage Close()
    {
        Check(LibSdBus.sd_bus_message_close_container(Handle), "close container");
        return this;
    }

    /// <summary>Appends one "{sv}" dict entry: name and a variant written by <paramref name="value"/>.</summary>
    public BusMessage AppendDictEntry(string name, string signature, Action<BusMessage> value)
    {
        Open('e', "sv").AppendString(name).Open('v', signature);
        value(this);
        return Close().Close();
    }

    public string ReadString() => ReadText((byte)'s');
    public string ReadObjectPath() => ReadText((byte)'o');

    public bool ReadBool()
    {
        int v;
        CheckRead(LibSdBus.sd_bus_message_read_basic(Handle, (byte)'b', &v), "b");
        return v != 0;
    }

    public uint ReadUInt32()
    {
        uint v;
        CheckRead(LibSdBus.sd_bus_message_read_basic(Handle, (byte)'u', &v), "u");
        return v;
    }

    public ulong ReadUInt64()
    {
        ulong v;
        CheckRead(LibSdBus.sd_bus_message_read_basic(Handle, (byte)'t', &v), "t");
        return v;
    }

    /// <summary>Enters a container; false at the end of the enclosing one (the way to loop over an array).</summary>
    public bool Enter(char type, string contents)
    {
        int r = LibSdBus.sd_bus_message_enter_container(Handle, (byte)type, contents);
        CheckRead(r, type + contents);
        return r > 0;
    }

    public void Exit() => CheckRead(LibSdBus.sd_bus_message_exit_container(Handle), "exit container");

    /// <summary>The signature of the variant or container at the read position, or null at the end.</summary>
    public (char Type, string? Contents)? Peek()
    {
        byte type;
        byte* contents;
        int r = LibSdBus.sd_bus_message_peek_type(Handle, &type, &contents);
        CheckRead(r, "peek");
        return r == 0 ? null : ((char)type, contents == null ? null : Marshal.PtrToStringUTF8((IntPtr)contents));
    }

    /// <summary>Skips the next complete value at the read position.</summary>
    public void Skip() => CheckRead(LibSdBus.sd_bus_message_skip(Handle, IntPtr.Zero), "skip");

    /// <summary>
    /// The string as NUL-terminated UTF-8 in a stack (or, if long, pooled) buffer: a ListDevices reply appends six
    /// strings per device, and a fresh string, array and message text for each was most of the D-Bus garbage.
    /// </summary>
    private BusMessage AppendText(byte type, string value)
    {
        const int StackLimit = 512;
        var size = Encoding.UTF8.GetMaxByteCount(value.Length) + 1;
        var rented = size > StackLimit ? ArrayPool<byte>.Shared.Rent(size) : null;
        Span<byte> buffer = rented ?? stackalloc byte[StackLimit];
        buffer[Encoding.UTF8.GetBytes(value, buffer)] = 0;
        int r;
        fixed (byte* p = buffer) r = LibSdBus.sd_bus_message_append_basic(Handle, type, p);
        if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        if (r < 0) Check(r, $"append {(char)type}");
        return this;
    }

    private string ReadText(byte type)
    {
        byte* p;
        CheckRead(LibSdBus.sd_bus_message_read_basic(Handle, type, &p), ((char)type).ToString());
        return Marshal.PtrToStringUTF8((IntPtr)p) ?? "";
    }

    private static void Check(int r, string what)
    {
        if (r < 0) throw new BusErrorException(BusErrorException.Failed, $"sd-bus: {what}: {Errno.Describe(r)}");
    }

    private static void CheckRead(int r, string what)
    {
        if (r < 0) throw new BusErrorException(BusErrorException.InvalidArgs, $"cannot read '{what}' from the message: {Errno.Describe(r)}");
    }
}
