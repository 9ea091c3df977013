namespace AcceptD.Core.Boot;

/// <summary>One kernel parameter: "foo" (Value null) or "foo=bar" with the kernel's quote handling applied.</summary>
public sealed record KernelParameter(string Name, string? Value);

/// <summary>
/// Splits /proc/cmdline exactly as the kernel's next_arg() does (lib/cmdline.c, kernel/params.c): any whitespace
/// separates, double quotes group (also in the middle of a word: foo="a b" is one parameter), one pair of quotes
/// around the value is removed, and "--" ends the kernel's parameters (the rest goes to init). AcceptD must see
/// what the kernel saw: 'foo="x acceptd.mode=permissive"' is a value of foo, not an AcceptD setting.
/// </summary>
public static class KernelCommandLine
{
    public static IReadOnlyList<KernelParameter> Parse(string commandLine)
    {
        var parameters = new List<KernelParameter>();
        var i = 0;
        while (true)
        {
            while (i < commandLine.Length && IsSpace(commandLine[i])) i++;
            if (i >= commandLine.Length) return parameters;
            var start = i;
            var inQuote = false;
            for (; i < commandLine.Length && (inQuote || !IsSpace(commandLine[i])); i++)
                if (commandLine[i] == '"') inQuote = !inQuote;
            var word = commandLine[start..i];
            if (word == "--") return parameters;
            word = StripQuotes(word); // "foo=bar baz": the whole parameter quoted
            var equals = word.IndexOf('=');
            parameters.Add(equals < 0
                ? new KernelParameter(word, null)
                : new KernelParameter(word[..equals], StripQuotes(word[(equals + 1)..])));
        }
    }

    /// <summary>The kernel drops one leading quote and a matching trailing one.</summary>
    private static string StripQuotes(string text)
    {
        if (!text.StartsWith('"')) return text;
        text = text[1..];
        return text.EndsWith('"') ? text[..^1] : text;
    }

    /// <summary>isspace() in the kernel's C locale: space, \t, \n, \v, \f, \r.</summary>
    private static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r';
}
