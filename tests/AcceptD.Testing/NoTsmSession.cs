using AcceptD.Core.Devices;
using AcceptD.Core.Planning;
using AcceptD.Os.Tsm;

namespace AcceptD.Testing;

/// <summary>A guest without a TSM: every TDISP step fails, as it does on a machine without the guest TDISP interface.</summary>
public sealed class NoTsmSession : ITdispSession
{
    public TdispResult Accept(AcceptTdisp step, string finalDriver, string? prepareDriver) => new("no TSM", null);

    public string? Release(Device device) => null;
}
