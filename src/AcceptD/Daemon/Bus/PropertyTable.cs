using System.Collections.Immutable;
using AcceptD.Os.DBus;

namespace AcceptD.Daemon.Bus;

/// <summary>
/// The properties of one interface, each as a function of a source snapshot (a DeviceRecord, the GateStatus).
/// One table serves Properties.Get/GetAll, the a{sv} of GetDevice and the PropertiesChanged diff, so they cannot
/// disagree. Values are string, bool, ulong, string lists and string→uint maps; anything else is a programming error.
/// </summary>
internal sealed class PropertyTable<TSource>(BusInterfaceInfo info, IReadOnlyList<(string Name, Func<TSource, object> Value)> properties)
{
    public BusInterfaceInfo Info { get; } = info;

    public IReadOnlyDictionary<string, BusPropertyGetter> Getters(Func<string, TSource> sourceAt) =>
        properties.ToDictionary(p => p.Name, p =>
        {
            var type = TypeOf(p.Name);
            return (BusPropertyGetter)((path, reply) => Append(reply, type, p.Value(sourceAt(path))));
        });

    /// <summary>Appends all properties as an a{sv} dictionary.</summary>
    public void AppendAll(BusMessage m, TSource source)
    {
        m.Open('a', "{sv}");
        foreach (var (name, value) in properties)
        {
            var type = TypeOf(name);
            m.AppendDictEntry(name, type, v => Append(v, type, value(source)));
        }
        m.Close();
    }

    /// <summary>Names of the properties announced by PropertiesChanged whose value differs between two snapshots.</summary>
    public IReadOnlyList<string> Changed(TSource before, TSource after) =>
        [.. properties.Where(p => Info.Properties.First(x => x.Name == p.Name).EmitsChangedSignal is "true" or "invalidates"
            && !Same(p.Value(before), p.Value(after))).Select(p => p.Name)];

    private string TypeOf(string name) => Info.Properties.First(p => p.Name == name).Type;

    private static void Append(BusMessage m, string type, object value)
    {
        switch (type, value)
        {
            case ("s", string s): m.AppendString(s); break;
            case ("b", bool b): m.AppendBool(b); break;
            case ("t", ulong t): m.AppendUInt64(t); break;
            case ("as", IEnumerable<string> list): m.AppendStringArray(list); break;
            case ("a{su}", IEnumerable<KeyValuePair<string, uint>> map):
                m.Open('a', "{su}");
                foreach (var (k, v) in map) m.Open('e', "su").AppendString(k).AppendUInt32(v).Close();
                m.Close();
                break;
            default: throw new InvalidOperationException($"no D-Bus mapping for {value.GetType().Name} as '{type}'");
        }
    }

    private static bool Same(object a, object b) => (a, b) switch
    {
        (IEnumerable<string> x, IEnumerable<string> y) => x.SequenceEqual(y),
        (IEnumerable<KeyValuePair<string, uint>> x, IEnumerable<KeyValuePair<string, uint>> y) => x.SequenceEqual(y),
        _ => Equals(a, b),
    };
}
