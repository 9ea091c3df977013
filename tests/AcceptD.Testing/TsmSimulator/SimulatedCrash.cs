namespace AcceptD.Testing.TsmSimulator;

/// <summary>Thrown by the simulator to kill the acceptor at a chosen step (the kernel has already done that step).</summary>
public sealed class SimulatedCrash(int operation) : Exception($"simulated crash after operation {operation}");
