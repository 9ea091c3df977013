using AcceptD.Core.Text;
using FsCheck.Xunit;

namespace AcceptD.Core.Tests.Text;

public class PrintableTests
{
    [Fact]
    public void Control_characters_become_visible_escapes()
    {
        Assert.Equal("a\\nb\\x1b[31mc\\td\\x7f\\x85\\u2028", Printable.Escape("a\nb\u001b[31mc\td\u007f\u0085\u2028"));
        Assert.Equal("plain pci/0000:00:03.0 ü", Printable.Escape("plain pci/0000:00:03.0 ü"));
        Assert.Equal("", Printable.Escape(null));
    }

    [Property]
    public bool Escaped_text_has_no_control_character(string? text) => !Printable.Escape(text).Any(char.IsControl);

    [Fact]
    public void Replace_keeps_the_length_for_globs()
    {
        Assert.Equal("dev?name", Printable.Replace("dev\nname", '?'));
    }

    [Fact]
    public void A_long_list_of_diagnostics_is_capped_with_a_count()
    {
        var many = Enumerable.Range(1, 480_000).Select(i => $"line {i}").ToList();
        var capped = DiagnosticLimit.Cap(many);
        Assert.Equal(21, capped.Count);
        Assert.Equal("line 20", capped[19]);
        Assert.Equal("... and 479980 more", capped[20]);
        var few = many.Take(3).ToList();
        Assert.Same(few, DiagnosticLimit.Cap(few));
    }
}
