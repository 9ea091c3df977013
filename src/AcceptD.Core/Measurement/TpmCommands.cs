using System.Buffers.Binary;

namespace AcceptD.Core.Measurement;

/// <summary>
/// The two TPM 2.0 commands the PCR writer sends (TPM 2.0 Library Part 3 §22.2 PCR_Extend, §22.4 PCR_Read), SHA-256
/// bank only, and their responses. PCR_Extend authorises with the empty password session (TPM_RS_PW): a PCR's auth
/// value is empty unless someone set one, and PCR 0–23 of a PC Client TPM have none. All integers big-endian.
/// </summary>
public static class TpmCommands
{
    private const ushort NoSessions = 0x8001, Sessions = 0x8002, Sha256 = 0x000B;
    private const uint PcrExtendCode = 0x182, PcrReadCode = 0x17E, PasswordSession = 0x40000009;

    public static byte[] PcrExtend(int pcr, ReadOnlySpan<byte> sha256)
    {
        if (sha256.Length != 32) throw new ArgumentException($"the SHA-256 bank extends with 32 bytes, not {sha256.Length}", nameof(sha256));
        var command = new byte[10 + 4 + 4 + 9 + 4 + 2 + 32];
        var c = command.AsSpan();
        Header(c, Sessions, PcrExtendCode);
        BinaryPrimitives.WriteUInt32BigEndian(c[10..], (uint)pcr);
        BinaryPrimitives.WriteUInt32BigEndian(c[14..], 9);               // authorization area: one password session
        BinaryPrimitives.WriteUInt32BigEndian(c[18..], PasswordSession); // empty nonce, attributes 0, empty password
        BinaryPrimitives.WriteUInt32BigEndian(c[27..], 1);               // TPML_DIGEST_VALUES with one SHA-256 digest
        BinaryPrimitives.WriteUInt16BigEndian(c[31..], Sha256);
        sha256.CopyTo(c[33..]);
        return command;
    }

    public static byte[] PcrRead(int pcr)
    {
        var command = new byte[10 + 4 + 2 + 1 + 3];
        var c = command.AsSpan();
        Header(c, NoSessions, PcrReadCode);
        BinaryPrimitives.WriteUInt32BigEndian(c[10..], 1);
        BinaryPrimitives.WriteUInt16BigEndian(c[14..], Sha256);
        c[16] = 3;
        c[17 + pcr / 8] = (byte)(1 << (pcr % 8));
        return command;
    }

    /// <summary>Null when the response reports success, else the TPM response code in words.</summary>
    public static string? ResponseError(ReadOnlySpan<byte> response)
    {
        if (response.Length < 10 || BinaryPrimitives.ReadUInt32BigEndian(response[2..]) != response.Length)
            return $"a malformed TPM response of {response.Length} bytes";
        var code = BinaryPrimitives.ReadUInt32BigEndian(response[6..]);
        return code == 0 ? null : $"the TPM answered 0x{code:x3}";
    }

    /// <summary>The PCR value of a successful PCR_Read response (the one digest it returns), or null.</summary>
    public static byte[]? PcrValue(ReadOnlySpan<byte> response)
    {
        const int digests = 10 + 4 + 10; // header, pcrUpdateCounter, one-selection TPML_PCR_SELECTION
        if (ResponseError(response) is not null || response.Length < digests + 4 + 2 + 32) return null;
        if (BinaryPrimitives.ReadUInt32BigEndian(response[digests..]) != 1 || BinaryPrimitives.ReadUInt16BigEndian(response[(digests + 4)..]) != 32)
            return null;
        return response.Slice(digests + 6, 32).ToArray();
    }

    private static void Header(Span<byte> command, ushort tag, uint code)
    {
        BinaryPrimitives.WriteUInt16BigEndian(command, tag);
        BinaryPrimitives.WriteUInt32BigEndian(command[2..], (uint)command.Length);
        BinaryPrimitives.WriteUInt32BigEndian(command[6..], code);
    }
}
