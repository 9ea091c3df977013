using System.CommandLine;

namespace AcceptD.Cli.Tests;

/// <summary>Runs the real command tree in-process and captures what it prints.</summary>
public static class CliRunner
{
    public static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = AcceptdCommand.Invoke(args, new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>The shipped policy directory, copied beside the test binary.</summary>
    public static string ShippedPolicy => Path.Combine(AppContext.BaseDirectory, "rules.d");
}
