using System.Text;

namespace AcceptD.Testing;

/// <summary>Modaliases to compare AcceptD's resolution with kmod's and to measure it: real ones and ones derived from alias patterns.</summary>
public static class ModaliasSamples
{
    /// <summary>Modaliases of devices QEMU and common hardware show, plus module names and named aliases.</summary>
    public static readonly IReadOnlyList<string> RealLooking =
    [
        "pci:v00001AF4d00001000sv00001AF4sd00000001bc02sc00i00", // virtio-net (transitional)
        "pci:v00001AF4d00001041sv00001AF4sd00001100bc02sc00i00", // virtio-net (modern)
        "pci:v00001AF4d00001042sv00001AF4sd00001100bc01sc00i00", // virtio-blk
        "pci:v00001AF4d00001044sv00001AF4sd00001100bc00scFFi00", // virtio-rng
        "pci:v00001AF4d00001050sv00001AF4sd00001100bc03sc80i00", // virtio-gpu
        "pci:v00008086d000010D3sv00008086sd00000000bc02sc00i00", // e1000e
        "pci:v00008086d0000100Esv00001AF4sd00001100bc02sc00i00", // e1000
        "pci:v000010ECd00008139sv00001AF4sd00001100bc02sc00i00", // rtl8139
        "pci:v00008086d00002922sv00001AF4sd00001100bc01sc06i01", // ich9 ahci
        "pci:v00008086d00002918sv00001AF4sd00001100bc06sc01i00", // ich9 lpc
        "pci:v00008086d00002930sv00001AF4sd00001100bc0Csc05i00", // ich9 smbus
        "pci:v00008086d000029C0sv00001AF4sd00001100bc06sc00i00", // q35 host bridge
        "pci:v00001B36d0000000Dsv00001AF4sd00001100bc0Csc03i30", // qemu xhci
        "pci:v00001B36d00000010sv00001AF4sd00001100bc01sc08i02", // qemu nvme
        "pci:v00001B36d0000000Csv00000000sd00000000bc06sc04i00", // pcie root port
        "pci:v00001234d00001111sv00001AF4sd00001100bc03sc00i00", // bochs display
        "pci:v000015B3d0000101Esv000015B3sd00000001bc02sc00i00", // ConnectX-6 VF
        "virtio:d00000001v00001AF4",
        "virtio:d00000002v00001AF4",
        "virtio:d00000003v00001AF4",
        "virtio:d00000004v00001AF4",
        "virtio:d00000009v00001AF4",
        "virtio:d00000013v00001AF4",
        "acpi:PNP0A08:PNP0A03:",
        "acpi:PNP0C0C:",
        "acpi:QEMU0002:",
        "acpi:ACPI0010:",
        "acpi:LNXPWRBN:",
        "cpu:type:x86,ven0000fam0006mod0055:feature:,0000,0001,0002,0003,0004,0005,0006,0007,0008,0009,000B,000C,000D,000E,000F,0010,0011,0013,0017,0018,0019,001A,002B,0034,003B,003D,0068,006F,0070,0072,0074,0075,0076,0080,0081,0089,008C,008D,0091,0093,0094,0095,0096,0097,0098,0099,009A,009B,009C,009D,009E,00C0,00C5,00E1,00E3,00E4,00E6,00E7,00EB,00EC,00F0,00F1,00F3,00F5,00F6,00F9,00FA,00FB,00FD,00FF,0100,0120,0123,0125,0127,0128,0129,012A,012D,0140,0165,024A,025A,025B,025C,025D,025F,0283",
        "usb:v1D6Bp0003d0601dc09dsc00dp03ic09isc00ip00in00",
        "usb:v0627p0001d0000dc00dsc00dp00ic03isc00ip00in00",
        "usb:v046DpC52Bd1211dc00dsc00dp00ic03isc01ip01in00",
        "usb:v0781p5581d0100dc00dsc00dp00ic08isc06ip50in00",
        "hid:b0003g0001v00000627p00000001",
        "hid:b0003g0102v0000046Dp0000C52B",
        "input:b0011v0001p0001eAB41-e0,1,4,11,14,k71,72,73,74,75,76,77,79,7A,7B,ram4,l0,1,2,sfw",
        "platform:i8042",
        "platform:serial8250",
        "platform:pcspkr",
        "serio:ty01pr00id00ex00",
        "scsi:t-0x00",
        "scsi:t-0x05",
        "dmi:bvnSeaBIOS:bvr1.16.2:bd04/01/2014:br0.0:svnQEMU:pnStandardPC(Q35+ICH9,2009):pvrpc-q35-8.0:cvnQEMU:ct1:cvrpc-q35-8.0:sku:",
        "of:NuartT(null)Cns16550a",
        "of:NvirtioT(null)Cvirtio,mmio",
        "tdx-guest", "sev-guest", "crypto-crc32c", "crypto-sha256", "fs-xfs", "fs-tracefs", "net-pf-10", "net-pf-1",
        "char-major-10-200", "virtio_pci", "virtio-net", "e1000", "unix", "crc32c_generic", "zpool-zbud", "nonexistent_module",
        "bad]alias", "bad[alias", "vfio_pci:v000015B3d0000101Esv000015B3sd00000001bc02sc00i00",
    ];

    /// <summary>
    /// Texts made from the patterns of a modules.alias file: wildcards filled in (some matching, some not) and a
    /// share of near misses (one character changed, text appended, '_' written as '-'). Deterministic for a seed.
    /// </summary>
    public static IReadOnlyList<string> Derive(string aliasFileText, int count, int seed)
    {
        var patterns = Patterns(aliasFileText);
        var rng = new Random(seed);
        var samples = new List<string>(count);
        while (samples.Count < count && patterns.Length > 0)
        {
            var text = Fill(patterns[rng.Next(patterns.Length)], rng);
            samples.Add(rng.Next(10) switch
            {
                0 when text.Length > 0 => Mutate(text, rng),
                1 => text + "x",
                2 => text.Replace('_', '-'),
                _ => text,
            });
        }
        return samples;
    }

    /// <summary>One text per pattern of a modules.alias file, in file order, its wildcards filled in so that it matches.</summary>
    public static IEnumerable<string> FillEach(string aliasFileText, int seed)
    {
        var rng = new Random(seed);
        return Patterns(aliasFileText).Select(p => Fill(p, rng));
    }

    private static string[] Patterns(string aliasFileText) =>
        aliasFileText.Split('\n')
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(w => w.Length >= 3 && w[0] == "alias")
            .Select(w => w[1])
            .ToArray();

    private static readonly string[] Fillers = ["", "0", "00", "1AF4", "00008086", "0000", "01", "FF", ":", ",0001", "abc"];

    private static string Fill(string pattern, Random rng)
    {
        var text = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*') text.Append(Fillers[rng.Next(Fillers.Length)]);
            else if (c == '?') text.Append("0123456789ABCDEF"[rng.Next(16)]);
            else if (c == '[' && pattern.IndexOf(']', i + 2) is var close and > 0)
            {
                var set = pattern[(i + 1)..close].TrimStart('!', '^');
                text.Append(set.Length == 0 ? '0' : set[rng.Next(set.Length)]);
                i = close;
            }
            else text.Append(c);
        }
        return text.ToString();
    }

    private static string Mutate(string text, Random rng)
    {
        var chars = text.ToCharArray();
        chars[rng.Next(chars.Length)] = "0123456789ABCDEFabcdef:*-_"[rng.Next(26)];
        return new string(chars);
    }
}
