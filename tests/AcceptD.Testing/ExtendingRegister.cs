using AcceptD.Core.Measurement;
using AcceptD.Os.Measurement;

namespace AcceptD.Testing;

/// <summary>An in-memory register that extends as TPMs and RTMRs do (H(old || digest)), and can be told to refuse.</summary>
public sealed class ExtendingRegister(MeasuredRegister register) : IMeasurementRegister
{
    public MeasuredRegister Register => register;

    public string Device => "memory";

    public byte[] Value { get; set; } = register.Bank.Initial;

    public bool Refuse { get; set; }

    public byte[] Read() => Value;

    public void Extend(byte[] digest)
    {
        if (Refuse) throw new IOException("memory: the register refused the extend");
        Value = register.Bank.Extend(Value, digest);
    }
}
