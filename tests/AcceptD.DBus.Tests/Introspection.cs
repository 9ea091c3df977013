using System.Xml.Linq;
using AcceptD.Os.DBus;

namespace AcceptD.DBus.Tests;

/// <summary>
/// Compares introspection by meaning: the committed XML, what `gdbus introspect --xml` shows and the C# declarations,
/// each rendered as the same sorted text lines.
/// </summary>
public static class Introspection
{
    private const string EmitsChangedSignal = "org.freedesktop.DBus.Property.EmitsChangedSignal";

    public static XDocument Committed() => XDocument.Load(Path.Combine(Tools.Repo, "src/AcceptD/Daemon/Bus/org.acceptd1.xml"));

    /// <summary>Every member of one interface as a line of text: name, argument names/types/directions, access, annotations.</summary>
    public static IEnumerable<string> Members(XDocument doc, string iface)
    {
        var e = doc.Root!.Elements("interface").Single(i => i.Attribute("name")!.Value == iface);
        return Sorted(e.Elements().Select(m => Line(m.Name.LocalName, m.Attribute("name")!.Value, m.Attribute("type")?.Value ?? "",
            m.Attribute("access")?.Value ?? "",
            m.Elements("arg").Select(a => Arg(m.Name == "method" ? a.Attribute("direction")?.Value ?? "in" : "", a.Attribute("name")?.Value, a.Attribute("type")!.Value)),
            m.Elements("annotation").Select(a => Annotation(a.Attribute("name")!.Value, a.Attribute("value")!.Value)))));
    }

    /// <summary>The same lines for a declaration. Its properties are read-only, and "true" is not written out, as in XML.</summary>
    public static IEnumerable<string> Members(BusInterfaceInfo info) => Sorted(
    [
        .. info.Methods.Select(m => Line("method", m.Name, "", "", m.Args.Select(a => Arg(a.IsOut ? "out" : "in", a.Name, a.Type)), [])),
        .. info.Signals.Select(s => Line("signal", s.Name, "", "", s.Args.Select(a => Arg("", a.Name, a.Type)), [])),
        .. info.Properties.Select(p => Line("property", p.Name, p.Type, "read", [],
            p.EmitsChangedSignal == "true" ? [] : [Annotation(EmitsChangedSignal, p.EmitsChangedSignal)])),
    ]);

    private static string Line(string kind, string name, string type, string access, IEnumerable<string> args, IEnumerable<string> annotations) =>
        string.Join(' ', [kind, name, type, access, .. args, .. annotations]);

    private static string Arg(string direction, string? name, string type) => $"{direction}:{name}:{type}";

    private static string Annotation(string name, string value) => $"@{name}={value}";

    private static IEnumerable<string> Sorted(IEnumerable<string> lines) => lines.Order(StringComparer.Ordinal);
}
