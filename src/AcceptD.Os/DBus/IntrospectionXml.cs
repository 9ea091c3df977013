using System.Collections.Immutable;
using System.Xml.Linq;

namespace AcceptD.Os.DBus;

/// <summary>
/// Reads D-Bus introspection XML (the org.freedesktop.DBus.Introspectable format) into <see cref="BusInterfaceInfo"/>.
/// Only what sd-bus can export from a vtable is accepted: read-only properties and the EmitsChangedSignal
/// annotation; anything else is an error naming the member, so the XML cannot promise what the service does not do.
/// </summary>
public static class IntrospectionXml
{
    public const string EmitsChangedSignal = "org.freedesktop.DBus.Property.EmitsChangedSignal";

    public static ImmutableArray<BusInterfaceInfo> Parse(string xml)
    {
        var root = XDocument.Parse(xml).Root ?? throw new FormatException("introspection XML has no root element");
        return [.. root.Elements("interface").Select(ParseInterface)];
    }

    private static BusInterfaceInfo ParseInterface(XElement e)
    {
        var name = Required(e, "name");
        return new BusInterfaceInfo(
            name,
            [.. e.Elements("method").Select(m => new BusMethodInfo(Required(m, "name"), Args(m, name, defaultOut: false)))],
            [.. e.Elements("signal").Select(s => new BusSignalInfo(Required(s, "name"), Args(s, name, defaultOut: true)))],
            [.. e.Elements("property").Select(p => ParseProperty(p, name))]);
    }

    private static ImmutableArray<BusArg> Args(XElement member, string iface, bool defaultOut) =>
        [.. member.Elements("arg").Select(a => new BusArg(
            a.Attribute("name")?.Value ?? throw new FormatException($"{iface}.{Required(member, "name")}: every arg needs a name"),
            Required(a, "type"),
            a.Attribute("direction")?.Value is { } d ? d == "out" : defaultOut))];

    private static BusPropertyInfo ParseProperty(XElement p, string iface)
    {
        var name = Required(p, "name");
        if (Required(p, "access") != "read")
            throw new FormatException($"{iface}.{name}: only read-only properties are supported");
        var emits = "true";
        foreach (var a in p.Elements("annotation"))
        {
            if (Required(a, "name") != EmitsChangedSignal)
                throw new FormatException($"{iface}.{name}: unsupported annotation {Required(a, "name")}");
            emits = Required(a, "value");
            if (emits is not ("true" or "false" or "const" or "invalidates"))
                throw new FormatException($"{iface}.{name}: bad {EmitsChangedSignal} value '{emits}'");
        }
        return new BusPropertyInfo(name, Required(p, "type"), emits);
    }

    private static string Required(XElement e, string attribute) =>
        e.Attribute(attribute)?.Value ?? throw new FormatException($"<{e.Name}> without {attribute}=");
}
