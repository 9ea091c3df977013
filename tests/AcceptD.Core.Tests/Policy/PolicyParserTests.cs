using AcceptD.Core.Policy;
using FsCheck.Xunit;

namespace AcceptD.Core.Tests.Policy;

public class PolicyParserTests
{
    private const string Sha256 = "sha256:00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    private static readonly string Sha384 = "sha384:" + new string('a', 96);

    private static ParsedPolicyFile Parse(string text) => PolicyParser.ParseFile("t.rules", text);

    private static Rule Single(string line)
    {
        var parsed = Parse(line);
        Assert.Empty(parsed.Diagnostics);
        return Assert.Single(parsed.Rules);
    }

    [Theory]
    [InlineData("allow bus=pci", "allow bus=pci")]
    [InlineData("deny name=0000:00:0?.0", "deny name=0000:00:0?.0")]
    [InlineData("ignore path=/devices/pci0000:00/0000:00:10.0/*", "ignore path=/devices/pci0000:00/0000:00:10.0/*")]
    [InlineData("allow modalias=pci:v00001AF4d*", "allow modalias=pci:v00001AF4d*")]
    [InlineData("allow id=1AF4:10[0-7]?", "allow id=1af4:10[0-7]?")]
    [InlineData("allow id=*:1000", "allow id=*:1000")]
    [InlineData("allow vendor=8086", "allow vendor=8086")]
    [InlineData("allow device=10?0", "allow device=10?0")]
    [InlineData("allow subsystem=1af4:0001", "allow subsystem=1af4:0001")]
    [InlineData("allow class=0x020000", "allow class=0x020000")]
    [InlineData("allow class=0x0604/0xffff00", "allow class=0x000604/0xffff00")]
    [InlineData("allow class=060400/0xFFFF00", "allow class=0x060400/0xffff00")]
    [InlineData("allow class=0x060400/0xffffff", "allow class=0x060400")]
    [InlineData("allow module=virtio-pci", "allow module=virtio-pci")]
    [InlineData("allow driver=8139cp", "allow driver=8139cp")]
    [InlineData("allow attr{numa_node}=0", "allow attr{numa_node}=0")]
    [InlineData("allow parent=pci/0000:00:1c.?", "allow parent=pci/0000:00:1c.?")]
    [InlineData("ignore prebound=yes", "ignore prebound=yes")]
    [InlineData("deny origin=hotplug", "deny origin=hotplug")]
    [InlineData("deny tdisp=no", "deny tdisp=no")]
    [InlineData("allow reason=\"kept \\\"as\\\" is \\\\ here\"", "allow reason=\"kept \\\"as\\\" is \\\\ here\"")]
    [InlineData("allow name=\"a b\"", "allow name=\"a b\"")]
    [InlineData("allow name=\"a\\*\"", "allow name=a\\*")]
    [InlineData("allow name=a\\*", "allow name=a\\*")]
    [InlineData("  allow   driver=x   bus=pci   # trailing comment", "allow bus=pci driver=x")]
    [InlineData("allow bus=pci#comment right after a value", "allow bus=pci")]
    [InlineData("allow name=\"a#b\"", "allow name=\"a#b\"")]
    [InlineData("default deny", "default deny")]
    [InlineData("default ignore reason=\"why not\"", "default ignore reason=\"why not\"")]
    public void Parses_every_key_to_canonical_form(string line, string canonical) =>
        Assert.Equal(canonical, RulePrinter.Print(Single(line)));

    [Fact]
    public void Keeps_location_and_original_text()
    {
        var parsed = Parse("# header\n\n   allow bus=pci   # note\r\n");
        var rule = Assert.Single(parsed.Rules);
        Assert.Equal(new SourceLocation("t.rules", 3, 4), rule.Location);
        Assert.Equal("allow bus=pci   # note", rule.Text);
    }

    [Fact]
    public void Reads_tdisp_evidence()
    {
        var rule = Single($"tdisp id=8086:0b25 measurements={Sha256},{Sha384} certroot={Sha384} report={Sha256} reason=x");
        Assert.Equal(Verdict.Tdisp, rule.Target);
        Assert.Equal([Sha256, Sha384], rule.Evidence!.Measurements.Select(m => m.ToString()));
        Assert.Equal(Sha384, rule.Evidence.CertRoot.ToString());
        Assert.Equal(Sha256, rule.Evidence.Report!.ToString());
        Assert.Equal(32, rule.Evidence.Report.Bytes.Length);
    }

    [Fact]
    public void Reads_the_prepare_module_of_a_tdisp_rule()
    {
        var rule = Single($"tdisp id=8086:0b25 prepare=mlx5-prep measurements={Sha256} certroot={Sha384}");
        Assert.Equal("mlx5-prep", rule.Prepare);
        Assert.Null(Single($"tdisp id=8086:0b25 measurements={Sha256} certroot={Sha384}").Prepare);
        Assert.False(rule.SameAs(Single($"tdisp id=8086:0b25 prepare=other measurements={Sha256} certroot={Sha384}")));
    }

    [Fact]
    public void Lower_cases_digest_hex() =>
        Assert.Equal(Sha256, Single($"tdisp measurements={Sha256.ToUpperInvariant().Replace("SHA256", "sha256")} certroot={Sha256}").Evidence!.Measurements[0].ToString());

    [Theory]
    [InlineData("permit bus=pci", 1, "unknown target 'permit'")]
    [InlineData("bus=pci", 1, "unknown target 'bus=...'")]
    [InlineData("allow colour=red", 7, "unknown key 'colour'")]
    [InlineData("allow attr{}=x", 7, "unknown key 'attr{}'")]
    [InlineData("allow attr{../x}=x", 7, "unknown key 'attr{../x}'")]
    [InlineData("allow bus=pci bus=usb", 15, "duplicate key 'bus' (first at column 7)")]
    [InlineData("allow reason=a reason=b", 16, "duplicate key 'reason'")]
    [InlineData("allow bus", 7, "missing '=' after 'bus'")]
    [InlineData("allow bus\"pci\"", 7, "missing '=' after 'bus'")]
    [InlineData("allow =pci", 7, "missing key before '='")]
    [InlineData("allow bus=", 11, "empty value for 'bus'")]
    [InlineData("allow bus=\"\"", 11, "empty value for 'bus'")]
    [InlineData("allow bus=\"pci", 11, "unterminated quote")]
    [InlineData("allow reason=\"a\\\"", 14, "unterminated quote")]
    [InlineData("allow bus=\"pci\"x", 16, "expected whitespace after the closing quote")]
    [InlineData("allow bus=p\"ci\"", 12, "unexpected '\"' inside a value")]
    [InlineData("allow \"pci\"", 7, "a quoted value must follow KEY=")]
    [InlineData("allow name=0000:00:[03.0", 12, "bad pattern: unclosed '['")]
    [InlineData("allow id=1af4", 10, "bad hex id '1af4'")]
    [InlineData("allow id=1af4:100", 10, "bad hex id '100'")]
    [InlineData("allow id=1af4:10000", 10, "bad hex id '10000'")]
    [InlineData("allow id=1af4:xyz*", 10, "bad hex id 'xyz*'")]
    [InlineData("allow id=1af4:1000:1", 10, "expected VVVV:DDDD")]
    [InlineData("allow vendor=1af", 14, "bad hex id '1af'")]
    [InlineData("allow subsystem=zz:0001", 17, "bad hex id 'zz'")]
    [InlineData("allow class=0x1000000", 13, "bad class '0x1000000'")]
    [InlineData("allow class=0x020000/", 13, "bad class")]
    [InlineData("allow class=0x02000g", 13, "bad class")]
    [InlineData("allow class=0x020000/0x1ffffff", 13, "bad class")]
    [InlineData("allow prebound=true", 16, "bad value 'true' for 'prebound': expected yes or no")]
    [InlineData("allow tdisp=1", 13, "bad value '1' for 'tdisp'")]
    [InlineData("allow origin=boot", 14, "expected coldplug or hotplug")]
    [InlineData("allow measurements=sha256:00", 7, "'measurements' is only allowed on tdisp rules")]
    [InlineData("deny certroot=sha256:00", 6, "'certroot' is only allowed on tdisp rules")]
    [InlineData("ignore report=sha256:00", 8, "'report' is only allowed on tdisp rules")]
    [InlineData("allow prepare=prep_fw", 7, "'prepare' is only allowed on tdisp rules")]
    [InlineData("tdisp prepare=../prep certroot=" + Sha256, 15, "'../prep' is not a module name (letters, digits, '_' and '-')")]
    [InlineData("tdisp prepare=prep* certroot=" + Sha256, 15, "'prep*' is not a module name")]
    [InlineData("tdisp id=8086:0b25", 1, "a tdisp rule needs measurements= and certroot=")]
    [InlineData("tdisp measurements=" + Sha256, 1, "a tdisp rule needs measurements= and certroot=")]
    [InlineData("tdisp measurements=md5:00 certroot=" + Sha256, 20, "bad digest 'md5:00'")]
    [InlineData("tdisp measurements=sha256:00 certroot=" + Sha256, 20, "sha256 needs 64 hex digits")]
    [InlineData("tdisp measurements=" + Sha256 + ",sha384:zz certroot=" + Sha256, 20, "bad digest")]
    [InlineData("tdisp measurements=" + Sha256 + " certroot=" + Sha256 + " report=sha512", 180, "bad digest 'sha512'")]
    [InlineData("default", 1, "'default' must be followed by allow, deny or ignore")]
    [InlineData("default tdisp", 9, "'default' must be followed by allow, deny or ignore")]
    [InlineData("default bus=pci", 9, "'default' must be followed by allow, deny or ignore")]
    [InlineData("default deny bus=pci", 14, "'default' takes only reason=, found 'bus'")]
    [InlineData("default deny allow", 14, "missing '=' after 'allow'")]
    public void Reports_errors_at_line_and_column(string line, int column, string message)
    {
        var parsed = Parse("# first line\n" + line);
        Assert.Empty(parsed.Rules);
        var error = Assert.Single(parsed.Diagnostics);
        Assert.True(error.IsError);
        Assert.Equal(new SourceLocation("t.rules", 2, column), error.Location);
        Assert.Contains(message, error.Message);
        Assert.StartsWith($"t.rules:2:{column}: ", error.ToString());
    }

    [Fact]
    public void Reports_every_bad_line_and_keeps_the_good_ones()
    {
        var parsed = Parse("allow bus=pci\nallow bus=\ndeny bus=usb\nwat\n");
        Assert.Equal(2, parsed.Rules.Length);
        Assert.Equal([2, 4], parsed.Diagnostics.Select(d => d.Location!.Line));
    }

    [Property]
    public bool Never_throws_on_arbitrary_text(string text)
    {
        var parsed = Parse(text ?? "");
        return parsed.Diagnostics.All(d => d.Location!.Line >= 1 && d.Location.Column >= 1);
    }

    [Property]
    public bool Never_throws_on_rule_like_text(string[] words)
    {
        var line = "allow " + string.Join(' ', (words ?? []).Select(w => w ?? "")) + " id=" + string.Concat(words ?? []);
        Parse(line);
        Parse("tdisp " + line[6..]);
        return true;
    }
}
