namespace AcceptD.Os.DBus;

/// <summary>
/// A named D-Bus error. Thrown by method handlers (the binding turns it into the error reply) and by client calls
/// (the error reply the peer sent, or an errno-derived org.freedesktop.DBus.Error.* when the call never got one).
/// </summary>
public sealed class BusErrorException(string name, string message) : Exception(message)
{
    public string Name { get; } = name;

    public const string AccessDenied = "org.freedesktop.DBus.Error.AccessDenied";
    public const string Failed = "org.freedesktop.DBus.Error.Failed";
    public const string ServiceUnknown = "org.freedesktop.DBus.Error.ServiceUnknown";
    public const string NameHasNoOwner = "org.freedesktop.DBus.Error.NameHasNoOwner";
    public const string NoServer = "org.freedesktop.DBus.Error.NoServer";
    public const string NoReply = "org.freedesktop.DBus.Error.NoReply";
    public const string InvalidArgs = "org.freedesktop.DBus.Error.InvalidArgs";

    /// <summary>True when the error means nobody owns the destination name (daemon not running).</summary>
    public bool IsNoService => Name is ServiceUnknown or NameHasNoOwner
        || Name == "org.freedesktop.systemd1.NoSuchUnit" || Name.StartsWith("org.freedesktop.DBus.Error.Spawn.", StringComparison.Ordinal);

    public override string ToString() => $"{Name}: {Message}";
}
