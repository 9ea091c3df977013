using System.CommandLine;

namespace AcceptD.Cli.Reload;

/// <summary>`acceptd reload`: re-read the policy files; a bad policy is refused and the old one stays (root or polkit).</summary>
public static class ReloadCommand
{
    public static Command Create() => DaemonClient.Verb("reload", "Reload the policy; on any error the running policy stays.",
        (_, client, output) => { output.WriteLine(client.ReloadPolicy()); return CliErrors.Ok; });
}
