using System.Diagnostics.Metrics;

namespace Holepunch.Reactive.Rendezvous;

/// <summary>
/// The relay's instruments, on the rendezvous server's meter, kept in step with the <see cref="RelayCounters"/> that
/// tests read. Recording allocates nothing.
/// </summary>
internal sealed class RelayMetrics
{
    private static readonly string[] CloseTags = ["idle", "duration"];

    private readonly Counter<long> _opened;
    private readonly Counter<long> _closed;
    private readonly Counter<long> _datagrams;
    private readonly Counter<long> _bytes;
    private readonly Counter<long> _refused;
    private volatile bool _stopped;

    public RelayMetrics(Meter meter, RelayCounters counters, Func<int> liveRelays)
    {
        Counters = counters;
        _opened = meter.CreateCounter<long>("holepunch.rendezvous.relay.opened", "{relay}", "Relays opened at an introduction.");
        _closed = meter.CreateCounter<long>("holepunch.rendezvous.relay.closed", "{relay}", "Relays closed, tagged by reason (idle, duration).");
        _datagrams = meter.CreateCounter<long>("holepunch.rendezvous.relay.datagrams", "{datagram}", "Relay datagrams forwarded.");
        _bytes = meter.CreateCounter<long>("holepunch.rendezvous.relay.bytes", "By", "Bytes of relay datagrams forwarded.");
        _refused = meter.CreateCounter<long>("holepunch.rendezvous.relay.refused", "{datagram}", "Relay datagrams refused (and relays not opened), tagged by reason.");
        meter.CreateObservableGauge("holepunch.rendezvous.relay.active", () => _stopped ? 0 : liveRelays(), "{relay}", "Relays open now.");
    }

    public RelayCounters Counters { get; }

    public void Opened()
    {
        Counters.OnOpened();
        _opened.Add(1);
    }

    public void Closed(RelayCloseReason reason)
    {
        Counters.OnClosed();
        _closed.Add(1, new KeyValuePair<string, object?>("reason", CloseTags[(int)reason]));
    }

    public void Relayed(int bytes)
    {
        Counters.OnRelayed(bytes);
        _datagrams.Add(1);
        _bytes.Add(bytes);
    }

    public void Refused(RelayRefusalReason reason)
    {
        Counters.OnRefused(reason);
        _refused.Add(1, new KeyValuePair<string, object?>("reason", RelayRefusals.TagOf(reason)));
    }

    public void RefusalSent() => Counters.OnRefusalSent();

    /// <summary>The server stopped: the gauge reports no relays from now on.</summary>
    public void Stop() => _stopped = true;
}
