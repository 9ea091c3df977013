using System.Collections.Immutable;

namespace AcceptD.Os.DBus;

/// <summary>org.acceptd1.xml, embedded in this assembly: AcceptD's D-Bus interfaces.</summary>
public static class AcceptdBusXml
{
    public static string Text()
    {
        using var stream = typeof(AcceptdBusXml).Assembly.GetManifestResourceStream("org.acceptd1.xml")
            ?? throw new InvalidOperationException("embedded resource org.acceptd1.xml is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static ImmutableArray<BusInterfaceInfo> Interfaces() => IntrospectionXml.Parse(Text());

    public static BusInterfaceInfo Interface(string name) => Interfaces().FirstOrDefault(i => i.Name == name)
        ?? throw new InvalidOperationException($"org.acceptd1.xml declares no interface {name}");
}
