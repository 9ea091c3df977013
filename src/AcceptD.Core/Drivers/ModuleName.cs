namespace AcceptD.Core.Drivers;

/// <summary>Module names treat '-' and '_' as equal (kmod); AcceptD keeps them with '_'.</summary>
public static class ModuleName
{
    public static string Normalise(string name) => name.Contains('-') ? name.Replace('-', '_') : name;

    public static bool AreEqual(string a, string b) => Normalise(a) == Normalise(b);
}
