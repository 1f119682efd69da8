using System.Diagnostics.Metrics;

namespace Holepunch.Reactive.Rendezvous;

/// <summary>
/// The rendezvous server's instruments on the <see cref="RendezvousServer.MeterName"/> meter, kept in step with the
/// <see cref="RendezvousServerCounters"/> that tests read. Recording allocates nothing.
/// </summary>
internal sealed class RendezvousMetrics : IDisposable
{
    private static readonly string[] DropTags =
        ["", "rate-limited", "too-many-sources", "overloaded", "oversize", "malformed", "missing-type", "unknown-type", "not-a-request", "stopped", "amplification-limit",
         "global-rate-limited", "invalid-extension-message"];

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _received;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _sendFailures;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _registered;
    private readonly Counter<long> _refreshed;
    private readonly Counter<long> _expired;
    private readonly Counter<long> _joins;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _natProbes;
    private volatile bool _disposed;

    public RendezvousMetrics(IMeterFactory? meterFactory, Func<int> liveRegistrations)
    {
        // Without a factory (no DI), the server owns a meter of its own and disposes it.
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(RendezvousServer.MeterName) ?? new Meter(RendezvousServer.MeterName);

        _received = _meter.CreateCounter<long>("holepunch.rendezvous.datagrams.received", "{datagram}", "Datagrams that reached the server.");
        _sent = _meter.CreateCounter<long>("holepunch.rendezvous.datagrams.sent", "{datagram}", "Datagrams the server sent.");
        _sendFailures = _meter.CreateCounter<long>("holepunch.rendezvous.datagrams.send_failures", "{datagram}", "Replies the transport could not send.");
        _dropped = _meter.CreateCounter<long>("holepunch.rendezvous.datagrams.dropped", "{datagram}", "Datagrams dropped without a reply, tagged by reason.");
        _registered = _meter.CreateCounter<long>("holepunch.rendezvous.registrations.created", "{registration}", "New rooms registered.");
        _refreshed = _meter.CreateCounter<long>("holepunch.rendezvous.registrations.refreshed", "{registration}", "Registrations refreshed by their host.");
        _expired = _meter.CreateCounter<long>("holepunch.rendezvous.registrations.expired", "{registration}", "Registrations that were not refreshed in time.");
        _joins = _meter.CreateCounter<long>("holepunch.rendezvous.joins", "{join}", "Joiners introduced to a host.");
        _errors = _meter.CreateCounter<long>("holepunch.rendezvous.server_errors", "{datagram}", "server-error replies sent, tagged by error.");
        _natProbes = _meter.CreateCounter<long>("holepunch.rendezvous.nat_probes", "{datagram}", "nat-probe requests answered, on either port.");
        // A meter from a factory outlives the server: report no rooms once the server has stopped.
        _meter.CreateObservableGauge(
            "holepunch.rendezvous.registrations.active", () => _disposed ? 0 : liveRegistrations(), "{registration}", "Rooms registered now.");
    }

    public RendezvousServerCounters Counters { get; } = new();

    /// <summary>The meter, for the instruments of the server's other parts (the relay).</summary>
    public Meter Meter => _meter;

    public void Received()
    {
        Counters.OnReceived();
        _received.Add(1);
    }

    public void Sent()
    {
        Counters.OnSent();
        _sent.Add(1);
    }

    public void SendFailed()
    {
        Counters.OnSendFailed();
        _sendFailures.Add(1);
    }

    public void Dropped(RendezvousDropReason reason)
    {
        Counters.OnDropped(reason);
        _dropped.Add(1, new KeyValuePair<string, object?>("reason", DropTags[(int)reason]));
    }

    public void Registered()
    {
        Counters.OnRegistered();
        _registered.Add(1);
    }

    public void Refreshed()
    {
        Counters.OnRefreshed();
        _refreshed.Add(1);
    }

    public void Expired()
    {
        Counters.OnExpired();
        _expired.Add(1);
    }

    public void Joined()
    {
        Counters.OnJoined();
        _joins.Add(1);
    }

    public void ErrorSent(ServerErrorKind kind)
    {
        Counters.OnErrorSent();
        _errors.Add(1, new KeyValuePair<string, object?>("error", ServerErrors.TagOf(kind)));
    }

    public void NatProbeAnswered()
    {
        Counters.OnNatProbeAnswered();
        _natProbes.Add(1);
    }

    public void Dispose()
    {
        _disposed = true;
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
