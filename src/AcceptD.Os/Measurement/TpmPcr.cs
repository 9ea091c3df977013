using AcceptD.Core.Measurement;

namespace AcceptD.Os.Measurement;

/// <summary>
/// A TPM 2.0 PCR (SHA-256 bank) reached through a command transport: /dev/tpmrm0 in the daemon (the kernel's resource
/// manager, so no other TPM user's sessions are disturbed).
/// </summary>
public sealed class TpmPcr(int number, string device, Func<byte[], byte[]> transport) : IMeasurementRegister
{
    public MeasuredRegister Register { get; } = MeasuredRegister.Pcr(number);

    public string Device => device;

    /// <summary>The kernel's TPM device: one write of a whole command, then one read of the whole response.</summary>
    public static TpmPcr OnDevice(int number, string device = "/dev/tpmrm0") => new(number, device, command =>
    {
        using var tpm = new FileStream(device, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0);
        tpm.Write(command);
        var response = new byte[4096];
        return response[..tpm.Read(response)];
    });

    public byte[] Read()
    {
        var response = transport(TpmCommands.PcrRead(Register.Number));
        return TpmCommands.PcrValue(response)
            ?? throw new IOException($"{device}: PCR_Read of PCR {Register.Number}: {TpmCommands.ResponseError(response) ?? "no SHA-256 value"}");
    }

    public void Extend(byte[] digest)
    {
        if (TpmCommands.ResponseError(transport(TpmCommands.PcrExtend(Register.Number, digest))) is { } error)
            throw new IOException($"{device}: PCR_Extend of PCR {Register.Number}: {error}");
    }
}
