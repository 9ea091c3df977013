namespace AcceptD.Os.Systemd;

/// <summary>The counts shown in <c>systemctl status acceptd</c> (sent as STATUS=).</summary>
public sealed record ServiceStatus(string Mode, int Devices, int Bound, int Denied, int Pending, int Failed, string Measurement,
    int Warnings = 0, string? FirstWarning = null)
{
    public override string ToString() =>
        $"{Mode}: {Devices} devices, {Bound} bound, {Denied} denied, {Pending} pending, {Failed} failed; measurement {Measurement}" +
        (Warnings == 0 ? "" : $"; {Warnings} warning{(Warnings == 1 ? "" : "s")}: {FirstWarning}");
}
