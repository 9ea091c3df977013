namespace AcceptD.Core.Measurement;

/// <summary>
/// A runtime register as the log names it: a TDX RTMR (SHA-384; logged under its CC measurement register index,
/// RTMR n = CCMR n+1, as the firmware's CCEL and Trustee's replay number them) or a TPM PCR (SHA-256 bank).
/// </summary>
public sealed record MeasuredRegister(string Kind, int Number)
{
    public static MeasuredRegister Rtmr(int n) => new("rtmr", n);

    public static MeasuredRegister Pcr(int n) => new("pcr", n);

    public MeasurementBank Bank => Kind == "rtmr" ? MeasurementBank.Sha384 : MeasurementBank.Sha256;

    public uint LogIndex => (uint)(Kind == "rtmr" ? Number + 1 : Number);

    /// <summary>The name in each entry's "register" claim.</summary>
    public string Name => Kind == "rtmr" ? $"rtmr{Number}" : $"tpm2-pcr{Number}";

    /// <summary>
    /// Null when this register may hold AcceptD's measurements, else why not: RTMR 0–3 exist; PCRs 17–22 cannot be
    /// extended from locality 0 (TCG PC Client PCR attributes), where the OS runs.
    /// </summary>
    public string? Refusal => Kind switch
    {
        "rtmr" when Number is < 0 or > 3 => $"TDX has RTMR 0 to 3, not RTMR {Number}",
        "pcr" when Number is >= 17 and <= 22 => $"PCR {Number} cannot be extended from locality 0 (PCRs 17-22 belong to the dynamic root of trust); choose 16, 23 or 0-15",
        "pcr" when Number is < 0 or > 23 => $"a TPM 2.0 PC Client TPM has PCR 0 to 23, not PCR {Number}",
        _ => null,
    };
}
