using System.CommandLine;

// Not "AcceptD.Cli.Policy": a namespace of that name would hide the Core Policy type from all code in AcceptD.Cli.
namespace AcceptD.Cli.PolicyVerbs;

/// <summary>`acceptd policy ...`: work on the policy files themselves (one subcommand per file in this folder).</summary>
public static class PolicyCommand
{
    public static Command Create()
    {
        var command = new Command("policy", "Check the device policy.");
        command.Subcommands.Add(PolicyCheckCommand.Create());
        command.Subcommands.Add(PolicyExplainCommand.Create());
        return command;
    }
}
