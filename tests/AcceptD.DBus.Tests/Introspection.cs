using System.Xml.Linq;

namespace AcceptD.DBus.Tests;

/// <summary>Compares introspection XML by meaning: the committed file against what `gdbus introspect --xml` shows.</summary>
public static class Introspection
{
    public static XDocument Committed() => XDocument.Load(Path.Combine(Tools.Repo, "src/AcceptD.Os/DBus/org.acceptd1.xml"));

    /// <summary>Every member of one interface as a line of text: name, argument names/types/directions, access, annotations.</summary>
    public static IEnumerable<string> Members(XDocument doc, string iface)
    {
        var e = doc.Root!.Elements("interface").Single(i => i.Attribute("name")!.Value == iface);
        return e.Elements().Select(m => string.Join(' ',
            [m.Name.LocalName, m.Attribute("name")!.Value, m.Attribute("type")?.Value ?? "", m.Attribute("access")?.Value ?? "",
             .. m.Elements("arg").Select(a => $"{(m.Name == "method" ? a.Attribute("direction")?.Value ?? "in" : "")}:{a.Attribute("name")?.Value}:{a.Attribute("type")!.Value}"),
             .. m.Elements("annotation").Select(a => $"@{a.Attribute("name")!.Value}={a.Attribute("value")!.Value}")]))
            .Order(StringComparer.Ordinal);
    }
}
