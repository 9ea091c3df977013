using System.Text;
using AcceptD.Core.Text;

namespace AcceptD.Core.Policy;

/// <summary>
/// Prints rules in canonical form: target, conditions in key order, tdisp evidence and prepare module, reason last; values bare
/// where the language allows it, quoted otherwise. Parsing the output gives back an equal rule.
/// </summary>
public static class RulePrinter
{
    public static string Print(Rule rule)
    {
        var text = new StringBuilder();
        if (rule.IsDefault) text.Append("default ");
        text.Append(TargetWord(rule.Target));
        foreach (var condition in rule.Conditions)
            Append(text, condition.KeyText, condition.Value);
        if (rule.Evidence is { } evidence)
        {
            Append(text, "measurements", string.Join(',', evidence.Measurements));
            Append(text, "certroot", evidence.CertRoot.ToString());
            if (evidence.Report is { } report) Append(text, "report", report.ToString());
        }
        if (rule.Prepare is { } prepare) Append(text, PolicyParser.PrepareKey, prepare);
        if (rule.Reason is { } reason) text.Append(" reason=").Append(Quote(Printable.Replace(reason, '?')));
        return text.ToString();
    }

    public static string TargetWord(Verdict target) => target.ToString().ToLowerInvariant();

    /// <summary>
    /// The value as the lexer reads it back: bare when it can be, else in quotes with \" and \\ escaped. A control
    /// character (a hostile device name with a newline) becomes the glob '?': the rule stays one line and still
    /// matches the device it was made for.
    /// </summary>
    public static string FormatValue(string value)
    {
        value = Printable.Replace(value, '?');
        return value.Length > 0 && !value.Any(c => char.IsWhiteSpace(c) || c is '"' or '#' or '\'') ? value : Quote(value);
    }

    private static void Append(StringBuilder text, string key, string value) =>
        text.Append(' ').Append(key).Append('=').Append(FormatValue(value));

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
