using AcceptD.Core.Boot;

namespace AcceptD.Core.Tests.Boot;

/// <summary>/proc/cmdline split as the kernel's next_arg() splits it.</summary>
public class KernelCommandLineTests
{
    private static string[] Words(string line) =>
        KernelCommandLine.Parse(line).Select(p => p.Value is null ? p.Name : $"{p.Name}={p.Value}").ToArray();

    [Fact]
    public void A_quoted_value_of_another_parameter_is_one_parameter()
    {
        Assert.Equal(["foo=bar acceptd.mode=permissive baz", "quiet"], Words("foo=\"bar acceptd.mode=permissive baz\" quiet"));
        Assert.Equal(["dyndbg=file acceptd.c +p"], Words("dyndbg=\"file acceptd.c +p\""));
    }

    [Fact]
    public void Any_whitespace_separates()
    {
        Assert.Equal(["console=ttyS0", "acceptd.mode=permissive", "ro", "x"], Words("console=ttyS0\tacceptd.mode=permissive\nro\r\n x\n"));
    }

    [Fact]
    public void A_whole_quoted_parameter_loses_its_quotes_and_double_dash_ends_the_kernel_parameters()
    {
        Assert.Equal(["acceptd.policy=/a b"], Words("\"acceptd.policy=/a b\""));
        Assert.Equal(["ro"], Words("ro -- acceptd.mode=permissive"));
        Assert.Equal([], Words("   "));
        Assert.Equal([new KernelParameter("flag", null), new KernelParameter("e", "")], KernelCommandLine.Parse("flag e="));
    }
}
