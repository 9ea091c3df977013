using AcceptD.Core.Drivers;

namespace AcceptD.Core.Policy;

/// <summary>The verdict for one device, the rule that gave it, and for allow/tdisp the candidate to bind.</summary>
public sealed record Decision(Verdict Verdict, Rule Rule, Candidate? Chosen, string Reason);
