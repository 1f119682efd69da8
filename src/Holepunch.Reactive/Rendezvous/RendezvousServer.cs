using System.Diagnostics.Metrics;
using System.Net;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using Holepunch.Reactive.Collections;
using Holepunch.Reactive.Time;
using Holepunch.Reactive.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Holepunch.Reactive.Rendezvous;

/// <summary>
/// The rendezvous ("handshake") server of the Godot holepunch protocol: hosts register rooms, joiners ask for a
/// room, and the server introduces the two by sending each the other's public and local address. Wire-compatible
/// with the reference Python server and the deployed Godot client.
/// </summary>
/// <remarks>
/// <para>
/// The pipeline: <see cref="IDatagramTransport.Received"/> → admission on the receive thread (per-source rate limit,
/// decoding at most <see cref="RendezvousServerOptions.MaxDatagramSize"/> bytes, only requests pass) → the server's
/// one scheduler, where every state change happens (registrations, expiry, rate-limit refills, replies). Replies
/// leave from the local address the request arrived at, as the Godot client only accepts datagrams from the address
/// it sent to.
/// </para>
/// <list type="table">
/// <listheader><term>Transport event</term><description>Effect</description></listheader>
/// <item><term>OnNext</term><description>One datagram: a reply, or a drop counted in <see cref="Counters"/> by <see cref="RendezvousDropReason"/>.</description></item>
/// <item><term>OnError</term><description>Logged; the server stops receiving and <see cref="Completion"/> faults.</description></item>
/// <item><term>OnCompleted</term><description>The server stops receiving and <see cref="Completion"/> completes (with a
/// diagnostics transport: once both have completed).</description></item>
/// </list>
/// <para>
/// Extensions beyond the Godot protocol: a relay for peers that cannot punch through (<c>relay-datagram</c>, see
/// <see cref="RelayOptions"/>), and NAT diagnostics (<c>nat-probe</c>, answered on the main transport and on an optional
/// diagnostics transport). Godot clients never send them and never receive them.
/// </para>
/// <para>
/// Metrics are published on the <see cref="MeterName"/> meter; logs go to the <see cref="ILogger"/> given.
/// The server does not own its transports: dispose them after the server.
/// </para>
/// </remarks>
public sealed class RendezvousServer : IDisposable
{
    /// <summary>The name of the <see cref="Meter"/> the server publishes its metrics on.</summary>
    public const string MeterName = "Holepunch.Reactive.Rendezvous";

    private readonly object _lifecycle = new();
    private readonly IDatagramTransport _transport;
    private readonly IDatagramTransport? _diagnosticsTransport;
    private readonly RendezvousServerOptions _options;
    private readonly ILogger _logger;
    private readonly InlineEventLoop? _ownedScheduler;
    private readonly RendezvousMetrics _metrics;
    private readonly SourceRateLimiter _rateLimiter;
    private readonly RegistrationRegistry _registry;
    private readonly RelayTable _relays;
    private readonly RelayMetrics _relayMetrics;
    private readonly RefusalPacer _refusals;
    private readonly RendezvousAdmission _admission;
    private readonly AmplificationGuard _guard;
    private readonly RendezvousRouter _router;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IDisposable? _inbound;
    private IDisposable? _replenishment;
    private bool _started;
    private bool _disposed;

    /// <summary>Creates a server over <paramref name="transport"/>; it receives nothing until <see cref="Start"/>.</summary>
    /// <param name="transport">The socket to serve on (a UDP transport, or a virtual one in tests).</param>
    /// <param name="options">Limits and the scheduler; <see langword="null"/> for the defaults. Validated and copied here.</param>
    /// <param name="logger">Where to log; <see langword="null"/> for none.</param>
    /// <param name="meterFactory">Creates the <see cref="MeterName"/> meter (from dependency injection); <see langword="null"/> for a meter of the server's own.</param>
    /// <exception cref="ArgumentNullException"><paramref name="transport"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> has invalid values; the message lists every one.</exception>
    public RendezvousServer(
        IDatagramTransport transport,
        RendezvousServerOptions? options = null,
        ILogger? logger = null,
        IMeterFactory? meterFactory = null)
        : this(transport, diagnosticsTransport: null, options, logger, meterFactory)
    {
    }

    /// <summary>
    /// Creates a server over <paramref name="transport"/> that also answers NAT probes on a second socket,
    /// <paramref name="diagnosticsTransport"/> (another port of the same address, so that a client can tell whether its
    /// NAT's mapping depends on the destination); it receives nothing until <see cref="Start"/>.
    /// </summary>
    /// <param name="transport">The socket to serve on (a UDP transport, or a virtual one in tests).</param>
    /// <param name="diagnosticsTransport">
    /// The diagnostics socket: only <c>nat-probe</c> is answered there, from there. <see langword="null"/> for none.
    /// The server does not own it either.
    /// </param>
    /// <param name="options">Limits and the scheduler; <see langword="null"/> for the defaults. Validated and copied here.</param>
    /// <param name="logger">Where to log; <see langword="null"/> for none.</param>
    /// <param name="meterFactory">Creates the <see cref="MeterName"/> meter (from dependency injection); <see langword="null"/> for a meter of the server's own.</param>
    /// <exception cref="ArgumentNullException"><paramref name="transport"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="options"/> has invalid values (the message lists every one), or both transports are the same object.
    /// </exception>
    public RendezvousServer(
        IDatagramTransport transport,
        IDatagramTransport? diagnosticsTransport,
        RendezvousServerOptions? options = null,
        ILogger? logger = null,
        IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        if (ReferenceEquals(transport, diagnosticsTransport))
        {
            throw new ArgumentException("The diagnostics transport must be another socket than the main one.", nameof(diagnosticsTransport));
        }

        _options = (options ?? new RendezvousServerOptions()).Validated();
        _transport = transport;
        _diagnosticsTransport = diagnosticsTransport;
        _logger = logger ?? NullLogger.Instance;

        if (_options.Scheduler is null)
        {
            // A request is handled, and answered, on the thread that received it (see InlineEventLoop).
            _ownedScheduler = new InlineEventLoop(error => RendezvousLog.LoopItemFailed(_logger, error));
        }

        Scheduler = _options.Scheduler ?? _ownedScheduler!;
        RegistrationRegistry? registry = null;
        RelayTable? relays = null;
        _metrics = new RendezvousMetrics(meterFactory, () => registry?.Count ?? 0);
        _relayMetrics = new RelayMetrics(_metrics.Meter, _metrics.Counters.Relay, () => relays?.Count ?? 0);
        _registry = registry = new RegistrationRegistry(Scheduler, _options, _metrics, _logger);
        _relays = relays = new RelayTable(Scheduler, _options.Relay, _relayMetrics, _logger);
        _rateLimiter = new SourceRateLimiter(_options);
        _admission = new RendezvousAdmission(_rateLimiter, _relays, _metrics, _logger, _options.MaxDatagramSize, _options.MaxPendingDatagrams);
        _guard = new AmplificationGuard(_options);
        _refusals = new RefusalPacer(Scheduler, _options.Relay.RefusalInterval, _options.MaxSources);
        var replies = new ReplySender(transport, _guard, _metrics, _logger);
        var diagnosticsReplies = diagnosticsTransport is null ? null : new ReplySender(diagnosticsTransport, _guard, _metrics, _logger);
        var linker = new HandshakeLinker(
            _registry, new JoinChallenges(Scheduler), replies, _relays, _relayMetrics, Scheduler, _options, _metrics, _logger);
        var forwarder = new RelayForwarder(_relays, transport, replies, _refusals, _relayMetrics, _metrics, Scheduler, _logger);
        var probes = new NatProbeResponder(replies, diagnosticsReplies, _metrics, _logger);
        _router = new RendezvousRouter(
            _admission, _guard, _registry, linker, forwarder, probes, replies, _metrics, _logger, _options.MaxRegistrations);
    }

    /// <summary>The registered rooms, keyed by name (read-only; changes arrive on <see cref="Scheduler"/>).</summary>
    public IObservableCache<Registration, string> Registrations => _registry.Cache;

    /// <summary>Running totals: datagrams in and out, registrations, joins, errors, and drops by reason.</summary>
    public RendezvousServerCounters Counters => _metrics.Counters;

    /// <summary>The scheduler on which the server changes its state: <see cref="RendezvousServerOptions.Scheduler"/>, or its own event loop.</summary>
    public IScheduler Scheduler { get; }

    /// <summary>The address the transport is bound to.</summary>
    public IPEndPoint LocalEndPoint => _transport.LocalEndPoint;

    /// <summary>The address the diagnostics transport is bound to; <see langword="null"/> when the server has none.</summary>
    public IPEndPoint? DiagnosticsEndPoint => _diagnosticsTransport?.LocalEndPoint;

    /// <summary>
    /// Completes when the server stops: when disposed (once its state is released on <see cref="Scheduler"/>) or when
    /// the transport completes; faults with the transport's error when the transport fails.
    /// </summary>
    public Task Completion => _completion.Task;

    /// <summary>Starts receiving, expiring registrations and refilling the rate limits.</summary>
    /// <exception cref="InvalidOperationException">The server was already started.</exception>
    /// <exception cref="ObjectDisposedException">The server is disposed.</exception>
    public void Start()
    {
        lock (_lifecycle)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_started)
            {
                throw new InvalidOperationException("The rendezvous server is already started.");
            }

            _started = true;
            _replenishment = Scheduler.SchedulePeriodic(this, _options.SourceReplenishmentPeriod, static server =>
            {
                server._rateLimiter.Tick();
                server._guard.Tick();
                return server;
            });
            // Decoding happens in Admit, on the receive thread, while the payload is still valid; only the decoded
            // request crosses to the scheduler.
            var inbound = _transport.Received.Select(_admission.Admit);
            if (_diagnosticsTransport is not null)
            {
                // One merged stream, observed on the scheduler once: requests from both sockets are handled one at a time.
                inbound = inbound.Merge(_diagnosticsTransport.Received.Select(_admission.AdmitDiagnostics));
            }

            _inbound = inbound
                .Where(static request => request.IsAdmitted)
                .DeliverOn(Scheduler, isOwnLoop: _ownedScheduler is not null, _router.Handle, OnTransportFailed, OnTransportCompleted);
        }

        RendezvousLog.Started(_logger, _transport.LocalEndPoint);
        if (_diagnosticsTransport is not null)
        {
            RelayLog.DiagnosticsStarted(_logger, _diagnosticsTransport.LocalEndPoint);
        }
    }

    /// <summary>
    /// Stops the server: nothing more is received or answered at once; the registrations cache completes and the
    /// server's own event loop (if it made one) ends on <see cref="Scheduler"/> right after, then <see cref="Completion"/>
    /// completes. Does not dispose the transport. A user-supplied scheduler must still run for that last step.
    /// </summary>
    public void Dispose()
    {
        lock (_lifecycle)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _admission.Stop();
        _router.Stop();
        _inbound?.Dispose();
        _replenishment?.Dispose();
        try
        {
            // The cache and its expiry timers are only ever touched on the scheduler: release them there, so that
            // nothing in flight on the scheduler meets a disposed cache.
            Scheduler.Schedule(this, static (_, server) =>
            {
                server.Release();
                return System.Reactive.Disposables.Disposable.Empty;
            });
        }
        catch (ObjectDisposedException)
        {
            // The scheduler is gone already: nothing can be running on it.
            Release();
        }
    }

    private void Release()
    {
        _registry.Dispose();
        _relays.Dispose();
        _relayMetrics.Stop();
        _refusals.Clear();
        _rateLimiter.Dispose();
        _guard.Clear();
        RendezvousLog.Stopped(_logger, Counters);
        _metrics.Dispose();
        _completion.TrySetResult();
        // Disposing an event loop from its own thread ends it after this item.
        _ownedScheduler?.Dispose();
    }

    private void OnTransportFailed(Exception error)
    {
        RendezvousLog.TransportFailed(_logger, error);
        _completion.TrySetException(error);
    }

    private void OnTransportCompleted()
    {
        RendezvousLog.TransportCompleted(_logger);
        _completion.TrySetResult();
    }
}
