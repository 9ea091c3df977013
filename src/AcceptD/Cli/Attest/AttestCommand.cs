using System.CommandLine;

namespace AcceptD.Cli.Attest;

/// <summary>`acceptd attest`: the relying party's side of the measured topology.</summary>
public static class AttestCommand
{
    public static Command Create() => new("attest", "Check AcceptD's measurements as a relying party would.") { AttestVerifyCommand.Create() };
}
