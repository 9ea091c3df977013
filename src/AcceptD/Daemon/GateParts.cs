using AcceptD.Core.Devices;
using AcceptD.Core.Drivers;
using AcceptD.Core.Measurement;
using AcceptD.Os.State;
using AcceptD.Os.Sysfs;
using Serilog;

namespace AcceptD.Daemon;

/// <summary>
/// What a <see cref="Gate"/> works with: the host view it reads, the executor that writes (null: nothing is written),
/// the module index, the state store, the measurement log (null: nothing is measured), the log and the clock.
/// </summary>
public sealed record GateParts(IFileView Files, PlanExecutor? Executor, ModuleIndex Modules, StateStore Store, IMeasurementLog? Measurements,
    ILogger Log, TimeProvider Time);
