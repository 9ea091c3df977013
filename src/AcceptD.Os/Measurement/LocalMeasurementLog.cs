using AcceptD.Core.Measurement;

namespace AcceptD.Os.Measurement;

/// <summary>
/// AcceptD as the one writer of its register: each event is written ahead, extended, appended, and the write-ahead
/// entry removed, all under flock. At start the log is reconciled with the register (see <see cref="Reconcile"/>).
/// Without a register the log is still kept, in SHA-384, and every entry says "register":"none".
/// </summary>
public sealed class LocalMeasurementLog : IMeasurementLog
{
    private readonly EventLogFile _file;
    private readonly IMeasurementRegister? _register;
    private readonly string? _bootId;
    private readonly Action<string> _journal;
    private readonly MeasurementBank _bank;
    private long _nextSeq;

    public LocalMeasurementLog(EventLogFile file, IMeasurementRegister? register, string? bootId, Action<string> journal)
    {
        _file = file;
        _register = register;
        _bootId = bootId;
        _journal = journal;
        _bank = register?.Register.Bank ?? MeasurementBank.Sha384;
        Status = new MeasurementStatus(register is null ? "none" : register.Register.Kind == "rtmr" ? "rtmr" : "tpm",
            register is null ? "no register: the log is kept but nothing measures it" : $"{register.Register.Name} via {register.Device}",
            file.Path, null);
        Guarded("reconcile the log with the register", Reconcile);
    }

    public MeasurementStatus Status { get; private set; }

    private uint LogIndex => _register?.Register.LogIndex ?? 0;

    public void Record(TopologyEvent topologyEvent)
    {
        if (Status.Error is not null)
        {
            _journal($"not measured ({Status.Error}): {topologyEvent.Operation} {topologyEvent.TopologyDigest}");
            return;
        }
        Guarded("measure " + topologyEvent.Operation, () =>
        {
            using var log = _file.Lock(_bank);
            var entry = new MeasuredEvent(_nextSeq, _bootId, _register?.Register.Name ?? "none", topologyEvent);
            var (record, digest) = Tcg2Log.Event(LogIndex, _bank, entry.Text);
            _file.WriteAhead(record);
            _register?.Extend(digest);
            log.Append(record);
            _file.DropAhead();
            _nextSeq++;
        });
    }

    /// <summary>
    /// Brings log and register into step after a crash: a torn last record is cut off; a write-ahead entry that is the
    /// log's last entry already (the crash came after the append) is removed; one the register already holds (the crash
    /// came after the extend) is committed; one the register does not hold (the crash came before) is dropped; any
    /// other register value is an error (another writer, or a log of another boot), as is a log whose own chain does
    /// not parse. An entry's content holds its sequence number, so no two entries of a log are alike.
    /// </summary>
    private void Reconcile()
    {
        using var log = _file.Lock(_bank);
        var (bank, events, error) = Tcg2Log.Read(log.Read());
        if (bank != _bank) throw new IOException($"{_file.Path}: {error ?? $"a {bank?.Name} log, but {Status.Register} uses {_bank.Name}"}");
        if (error is not null)
        {
            var good = Tcg2Log.Header(_bank).Length + events.Sum(e => 18L + _bank.DigestSize + e.Data.Length);
            log.Truncate(good);
            _journal($"{_file.Path}: cut a torn record after entry {events.Count} ({error})");
        }
        var logged = events.Aggregate(_bank.Initial, (value, e) => _bank.Extend(value, e.Digest));
        _nextSeq = events.Count + 1;
        var wal = _file.ReadAhead();
        var ahead = wal is null ? null : Tcg2Log.Read([.. Tcg2Log.Header(_bank), .. wal]) is { Error: null, Events: [var one] } ? one : null;
        var actual = _register?.Read();
        if (wal is not null && ahead is null)
        {
            _file.DropAhead();
            _journal("write-ahead entry was torn (crash before the register was touched): dropped");
        }
        else if (ahead is not null && events.Count > 0 && events[^1].Digest.AsSpan().SequenceEqual(ahead.Digest) &&
                 events[^1].Data.AsSpan().SequenceEqual(ahead.Data))
        {
            _file.DropAhead();
            _journal($"write-ahead entry {events.Count} was appended to the log before a crash: its write-ahead copy removed");
        }
        else if (ahead is not null)
        {
            var withAhead = _bank.Extend(logged, ahead.Digest);
            if (actual is not null && actual.AsSpan().SequenceEqual(logged))
            {
                _file.DropAhead();
                _journal($"write-ahead entry {_nextSeq} was not extended into {Status.Register} before a crash: dropped");
            }
            else if (actual is null || actual.AsSpan().SequenceEqual(withAhead))
            {
                log.Append(wal!);
                _file.DropAhead();
                _journal($"write-ahead entry {_nextSeq} was {(actual is null ? "written" : "extended")} before a crash: committed");
                _nextSeq++;
                logged = withAhead;
            }
        }
        if (actual is not null && !actual.AsSpan().SequenceEqual(logged))
            throw new IOException($"{Status.Register} is {Convert.ToHexStringLower(actual)} but the log replays to " +
                $"{Convert.ToHexStringLower(logged)}: another writer extended it, or the log is not this boot's");
        _journal($"measurement: {Status.Summary}; {events.Count} entries replayed{(actual is null ? "" : " and match the register")}");
    }

    private void Guarded(string what, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Status = Status with { Error = $"cannot {what}: {e.Message}" };
            _journal("measurement failed: " + Status.Error);
        }
    }
}
