namespace AcceptD.Core.Drivers;

/// <summary>Module names treat '-' and '_' as equal (kmod); AcceptD keeps them with '_'.</summary>
public static class ModuleName
{
    public static string Normalise(string name) => name.Contains('-') ? name.Replace('-', '_') : name;

    public static bool AreEqual(string a, string b) => Normalise(a) == Normalise(b);

    /// <summary>What a module may be called: letters, digits, '_' and '-' (no path, no glob), shorter than the kernel's MODULE_NAME_LEN (56).</summary>
    public static bool IsValid(string name) =>
        name.Length is > 0 and < 56 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
}
