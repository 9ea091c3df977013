using AcceptD.Core.Measurement;
using AcceptD.Core.State;
using AcceptD.Testing;

namespace AcceptD.Cli.Tests.Daemon;

public sealed partial class GateTests
{
    [Fact]
    public void A_register_that_refuses_an_extend_is_an_error_in_the_status_that_STATUS_and_the_bus_show()
    {
        var register = new ExtendingRegister(MeasuredRegister.Pcr(23));
        var gate = NewGate(register: register);
        Assert.Equal("tpm: tpm2-pcr23 via memory, log " + Path.Combine(_state, "eventlog"), gate.Status.Measurement);

        register.Refuse = true;
        gate.Coldplug(100);
        Assert.Equal(DeviceState.Bound, gate.Find("pci/0000:00:03.0")!.State); // the bind itself stands
        Assert.EndsWith("FAILED: cannot measure device-accepted: memory: the register refused the extend", gate.Status.Measurement);
    }
}
