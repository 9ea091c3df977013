namespace AcceptD.Daemon.Control;

/// <summary>The result of an operator request: done, or refused with a message naming the object.</summary>
public sealed record GateResult(bool Ok, string Message)
{
    public static GateResult Done(string message) => new(true, message);
    public static GateResult Refused(string message) => new(false, message);
}
