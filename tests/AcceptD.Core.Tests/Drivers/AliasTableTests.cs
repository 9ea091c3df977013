using AcceptD.Core.Drivers;
using AcceptD.Core.Matching;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AcceptD.Core.Tests.Drivers;

public class AliasTableTests
{
    private static readonly (string, string)[] Aliases =
    [
        ("pci:v00001AF4d00001000sv*sd*bc*sc*i*", "virtio_pci"),
        ("pci:v*d*sv*sd*bc01sc06i01*", "ahci"),
        ("hid:b0003g*v0000046Dp0000C52B", "hid_logitech_dj"),
        ("acpi*:PNP0C0C:*", "button"),
        ("usb:v*p*d*dc*dsc*dp*ic03isc01ip01in*", "usbhid"),
        ("virtio:d00000001v*", "virtio_net"),
        ("fs_xfs", "xfs"),
        ("*", "catch_all_short"),
        ("dax:t0*", "dax_short_literal"),
        ("hid:b*g0105v*p*", "hid_short_runs"),
        ("dmi*:pn*Alex*:", "dmi_short_runs"),
        ("pci:v00001AF4d00001000sv*sd*bc*sc*i*", "second_for_same_pattern"),
    ];

    private static readonly AliasTable Table = AliasTable.Build(Aliases);

    [Theory]
    [InlineData("pci:v00001AF4d00001000sv00001AF4sd00000001bc02sc00i00", "catch_all_short virtio_pci second_for_same_pattern")]
    [InlineData("pci:v00008086d00002922sv00001AF4sd00001100bc01sc06i01", "ahci catch_all_short")]
    [InlineData("hid:b0003g0102v0000046Dp0000C52B", "hid_logitech_dj catch_all_short")]
    [InlineData("hid:b0003g0102v0000046Dp0000C52Bx", "catch_all_short")]
    [InlineData("acpi:LNXSYSTM:PNP0C0C:", "button catch_all_short")]
    [InlineData("usb:v046Dp0001d0100dc00dsc00dp00ic03isc01ip01in00", "usbhid catch_all_short")]
    [InlineData("fs_xfs", "xfs catch_all_short")]
    [InlineData("virtio:d00000001v00001AF4", "virtio_net catch_all_short")]
    [InlineData("pcï:v00001AF4", "catch_all_short")]
    [InlineData("dax:t0", "dax_short_literal catch_all_short")]
    [InlineData("dax:t1", "catch_all_short")]
    [InlineData("hid:b0018g0105v000004F3p00003052", "hid_short_runs catch_all_short")]
    [InlineData("dmi:bvnX:svnGOOGLE:pnAlex:pvr1.0:", "dmi_short_runs catch_all_short")]
    public void Finds_every_matching_pattern_in_table_order(string text, string modules) =>
        Assert.Equal(modules.Split(' ').Order(), Table.Modules(text).Order());

    [Fact]
    public void Returns_matches_in_table_order() =>
        Assert.Equal(["virtio_pci", "catch_all_short", "second_for_same_pattern"],
            Table.Modules("pci:v00001AF4d00001000sv00001AF4sd00000001bc02sc00i00"));

    /// <summary>The index must never lose a match: compare with checking every pattern.</summary>
    [Property(MaxTest = 300)]
    public Property Agrees_with_checking_every_pattern()
    {
        var chars = Gen.Elements("pcivd0123AF:*?[]!-_sbx".ToCharArray());
        var word = Gen.ArrayOf(chars).Select(c => new string(c));
        var gen = from patterns in Gen.ListOf(word)
                  from texts in Gen.ListOf(word)
                  select (patterns, texts);
        return Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var aliases = t.patterns.Select(p => KmodText.NormaliseAlias(p)).OfType<string>()
                .Select((p, i) => (p, "m" + i)).ToArray();
            var table = AliasTable.Build(aliases);
            return t.texts.All(text =>
                table.Modules(text).SequenceEqual(aliases.Where(a => Glob.IsMatch(a.p, text)).Select(a => a.Item2).Distinct()));
        });
    }

    [Fact]
    public void Agrees_with_checking_every_pattern_on_long_shared_literals()
    {
        var aliases = Enumerable.Range(0, 200)
            .Select(i => ($"usb:v12D1p{i:X4}d*dc*dsc*dp*icFFisc{i % 7:X2}ip{i % 5:X2}in*", "m" + i)).ToArray();
        var table = AliasTable.Build(aliases);
        for (var i = 0; i < 200; i += 13)
        {
            var text = $"usb:v12D1p{i:X4}d0100dc00dsc00dp00icFFisc{i % 7:X2}ip{i % 5:X2}in00";
            Assert.Equal(aliases.Where(a => Glob.IsMatch(a.Item1, text)).Select(a => a.Item2), table.Modules(text));
        }
    }
}
