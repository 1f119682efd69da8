using System.Net;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Holepunch.Reactive.Collections;
using Holepunch.Reactive.Peers.Events;
using Holepunch.Reactive.Peers.Internal;
using Holepunch.Reactive.Time;
using Holepunch.Reactive.Transport;

namespace Holepunch.Reactive.Peers;

/// <summary>
/// A peer of the holepunch protocol (the C# counterpart of <c>Holepunch.gd</c>): hosts a room or joins one
/// through a rendezvous server, punches through both NATs to every peer it is introduced to, keeps the paths
/// alive with peer checks, and carries unreliable and reliable messages. Every signal is an observable.
/// </summary>
/// <remarks>
/// All of the client's state changes on one scheduler (its own event loop, or the one in
/// <see cref="HolepunchClientOptions.Scheduler"/>); events are published there, so keep subscribers short or
/// hop off with <c>ObserveOn</c>. Methods may be called from any thread when the client owns its loop. The own loop
/// has no thread: its work runs one item at a time on the thread that received a datagram or called a method, so a
/// subscriber may run on a receive thread or inside a call such as <see cref="SendReliableAsync(string, JsonElement, CancellationToken)"/>;
/// a subscriber must never block waiting for the client.
/// <code>
/// await using var client = new HolepunchClient(options);
/// client.ReliableMessages.Where(m => m.From == "bob").Subscribe(m => Console.WriteLine(m.Message));
/// await client.JoinAsync("alice", "room");
/// await client.SendReliableAsync("room", JsonSerializer.SerializeToElement("hi"));
/// </code>
/// </remarks>
public sealed class HolepunchClient : IAsyncDisposable, IDisposable
{
    private readonly ClientCore _core;
    private readonly InlineEventLoop? _ownLoop;
    private int _started;
    private int _disposed;

    /// <summary>Creates a client; nothing is sent until <see cref="HostAsync(string, CancellationToken)"/> or <see cref="JoinAsync(string, string, CancellationToken)"/>.</summary>
    /// <param name="options">The settings; validated here.</param>
    /// <exception cref="ArgumentException">The options are invalid (every problem listed).</exception>
    /// <exception cref="System.Net.Sockets.SocketException">The local address cannot be bound.</exception>
    public HolepunchClient(HolepunchClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        IScheduler scheduler;
        if (options.Scheduler is { } given)
        {
            scheduler = given;
        }
        else
        {
            // No loop thread: a datagram is handled on the thread that received it, a call on the caller's thread,
            // one at a time (see InlineEventLoop).
            _ownLoop = new InlineEventLoop(error => _core?.ReportLoopFault(error));
            scheduler = _ownLoop;
        }

        var transport = options.Transport ?? UdpDatagramTransport.Bind(OwnTransportOptions(options));
        _core = new ClientCore(options, transport, ownsTransport: options.Transport is null, scheduler, ownsScheduler: _ownLoop is not null);
        Events = _core.AllEvents;
    }

    /// <summary>
    /// How a client binds its own transport: to <see cref="HolepunchClientOptions.LocalEndPoint"/>, its receive thread
    /// warmed for sealing when that thread will agree the keys: peers sealed, the client's own loop (which runs on the
    /// thread that brings the introduction) and the agreement inline (through OpenSSL directly).
    /// </summary>
    internal static UdpTransportOptions OwnTransportOptions(HolepunchClientOptions options) => new()
    {
        BindEndPoint = options.LocalEndPoint,
        ReceiveThreadStarting = options.SecurePeers && PeerKeyPair.IsSupported && options.Scheduler is null
            && options.KeyAgreementRunner is null && OpenSslEcdh.IsAvailable
            ? PeerKeyPair.WarmUpThread
            : null,
    };

    /// <summary>This peer's name: the room name for a host, the user name for a joiner; empty before starting.</summary>
    public string Name => _core.Name;

    /// <summary>The room hosted or joined; empty before starting.</summary>
    public string RoomName => _core.RoomName;

    /// <summary>Whether this peer hosts its room (<c>i_am_server()</c>).</summary>
    public bool IsHost => _core.IsHost;

    /// <summary>The address and port the client's socket is bound to.</summary>
    public IPEndPoint LocalEndPoint => _core.Transport.LocalEndPoint;

    /// <summary>
    /// The confirmed peers, keyed by name (<c>get_peers()</c>): <c>Peers.Items</c> is a snapshot,
    /// <c>Peers.Connect()</c> the current peers and then every change (DynamicData's cache shape).
    /// </summary>
    public IObservableCache<PeerInfo, string> Peers => _core.Peers;

    /// <summary>Every event of the client, in order, ending with <see cref="ConnectionTerminated"/>, then completion.</summary>
    public IObservable<HolepunchEvent> Events { get; }

    /// <summary>Reliable messages, each delivered once (<c>received_reliable_message_from_peer</c>).</summary>
    public IObservable<PeerMessage> ReliableMessages => _core.Events.OfType<ReliableMessageReceived>().Select(static e => e.Message);

    /// <summary>Unreliable messages (<c>received_unreliable_message_from_peer</c>).</summary>
    public IObservable<PeerMessage> UnreliableMessages => _core.Events.OfType<UnreliableMessageReceived>().Select(static e => e.Message);

    /// <summary>Errors the rendezvous server sent (<c>server_error</c>).</summary>
    public IObservable<ServerErrorReceived> ServerErrors => _core.Events.OfType<ServerErrorReceived>();

    /// <summary>Peers that punched through (<c>peer_confirmed</c>).</summary>
    public IObservable<PeerConfirmed> PeerConfirmations => _core.Events.OfType<PeerConfirmed>();

    /// <summary>Confirmed peers that left, for any reason (<c>peer_dropped</c>).</summary>
    public IObservable<PeerDropped> PeerDrops => _core.Events.OfType<PeerDropped>();

    /// <summary>Peers that stopped answering checks (<c>peer_check_timeout</c>).</summary>
    public IObservable<PeerCheckTimedOut> PeerCheckTimeouts => _core.Events.OfType<PeerCheckTimedOut>();

    /// <summary>Peers that could not be punched to (<c>peer_handshake_timeout</c>).</summary>
    public IObservable<PeerHandshakeTimedOut> PeerHandshakeTimeouts => _core.Events.OfType<PeerHandshakeTimedOut>();

    /// <summary>Every accepted datagram (<c>packet_received</c>).</summary>
    public IObservable<PacketReceived> PacketsReceived => Events.OfType<PacketReceived>();

    /// <summary>Acknowledged reliable messages (<c>peer_confirmed_reliable_message_received</c>).</summary>
    public IObservable<ReliableMessageDelivered> ReliableDeliveries => _core.Events.OfType<ReliableMessageDelivered>();

    /// <summary>Reliable messages never acknowledged (<c>reliable_message_timeout</c>).</summary>
    public IObservable<ReliableMessageTimedOut> ReliableTimeouts => _core.Events.OfType<ReliableMessageTimedOut>();

    /// <summary>The end of the client (<c>connection_terminated</c>): emits once, then completes.</summary>
    public IObservable<ConnectionTerminated> Terminations => _core.Events.OfType<ConnectionTerminated>();

    /// <summary>Completes when the client has terminated, for whatever reason.</summary>
    public Task<ConnectionTerminated> Completion => _core.Terminated;

    /// <summary>Counts of what was received, sent and dropped.</summary>
    public ClientStatistics Statistics => _core.Statistics;

    /// <summary>Creates a client and hosts <paramref name="roomName"/> (<c>init_server</c>).</summary>
    /// <param name="roomName">The room, which is also the host's peer name.</param>
    /// <param name="options">The settings.</param>
    /// <param name="cancellationToken">Abandons the attempt (the client is disposed).</param>
    /// <returns>The registered client.</returns>
    /// <exception cref="RendezvousServerException">The server refused the room.</exception>
    /// <exception cref="RendezvousTimeoutException">The server did not answer.</exception>
    public static Task<HolepunchClient> HostAsync(string roomName, HolepunchClientOptions options, CancellationToken cancellationToken = default) =>
        StartAsync(options, c => c.HostAsync(roomName, cancellationToken));

    /// <summary>Creates a client and joins <paramref name="roomName"/> as <paramref name="userName"/> (<c>init_client</c>).</summary>
    /// <param name="userName">This peer's name.</param>
    /// <param name="roomName">The room to join.</param>
    /// <param name="options">The settings.</param>
    /// <param name="cancellationToken">Abandons the attempt (the client is disposed).</param>
    /// <returns>The client, connected to the room's host.</returns>
    /// <exception cref="RendezvousServerException">The server refused (for example, no such room).</exception>
    /// <exception cref="RendezvousTimeoutException">The server did not answer.</exception>
    /// <exception cref="PeerHandshakeTimeoutException">The host could not be punched to.</exception>
    public static Task<HolepunchClient> JoinAsync(string userName, string roomName, HolepunchClientOptions options, CancellationToken cancellationToken = default) =>
        StartAsync(options, c => c.JoinAsync(userName, roomName, cancellationToken));

    /// <summary>
    /// Registers <paramref name="roomName"/> with the rendezvous server and keeps refreshing it; completes at the
    /// first confirmation (<c>init_server</c>). Joiners are punched to as the server introduces them.
    /// </summary>
    /// <param name="roomName">The room, which is also this peer's name.</param>
    /// <param name="cancellationToken">Stops waiting (the client is disposed).</param>
    /// <returns>A task that completes when registered.</returns>
    /// <exception cref="InvalidOperationException">The client was already started.</exception>
    /// <exception cref="RendezvousServerException">The server refused the room.</exception>
    /// <exception cref="RendezvousTimeoutException">The server did not answer.</exception>
    public Task HostAsync(string roomName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(roomName);
        return StartAsync(roomName, roomName, isHost: true, cancellationToken);
    }

    /// <summary>
    /// Asks the rendezvous server to join <paramref name="roomName"/>, then punches to its host; completes when
    /// the host is confirmed (<c>init_client</c>).
    /// </summary>
    /// <param name="userName">This peer's name.</param>
    /// <param name="roomName">The room to join.</param>
    /// <param name="cancellationToken">Stops waiting (the client is disposed).</param>
    /// <returns>A task that completes when the host is a confirmed peer.</returns>
    /// <exception cref="InvalidOperationException">The client was already started.</exception>
    /// <exception cref="RendezvousServerException">The server refused (for example, no such room).</exception>
    /// <exception cref="RendezvousTimeoutException">The server did not answer.</exception>
    /// <exception cref="PeerHandshakeTimeoutException">The host could not be punched to.</exception>
    public Task JoinAsync(string userName, string roomName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userName);
        ArgumentException.ThrowIfNullOrEmpty(roomName);
        return StartAsync(userName, roomName, isHost: false, cancellationToken);
    }

    /// <summary>Sends a message to a confirmed peer, fire and forget (<c>send_unreliable_message_to_peer</c>).</summary>
    /// <param name="peerName">The peer.</param>
    /// <param name="message">Any JSON value.</param>
    /// <remarks>A message to a peer that is not (or no longer) confirmed is dropped and counted.</remarks>
    /// <exception cref="ArgumentException"><paramref name="message"/> is <c>default</c> (no JSON value).</exception>
    public void SendUnreliable(string peerName, JsonElement message)
    {
        ArgumentNullException.ThrowIfNull(peerName);
        ThrowIfUndefined(message);

        // Queued, not posted one by one: a burst of sends costs one turn of the loop and no allocation per message
        // (cloning a value that is already its own copy allocates nothing).
        if (!_core.IsTerminated)
        {
            _core.Outbox.Enqueue(peerName, message.Clone());
        }
    }

    /// <summary>Serializes <paramref name="message"/> and sends it unreliably.</summary>
    /// <typeparam name="T">The message type.</typeparam>
    /// <param name="peerName">The peer.</param>
    /// <param name="message">The message.</param>
    /// <param name="typeInfo">The metadata of <typeparamref name="T"/> (source-generated for trimming and AOT).</param>
    public void SendUnreliable<T>(string peerName, T message, JsonTypeInfo<T> typeInfo) =>
        SendUnreliable(peerName, JsonSerializer.SerializeToElement(message, typeInfo));

    /// <summary>
    /// Sends a message that is re-sent until the peer acknowledges it, and delivered there once
    /// (<c>send_reliable_message_to_peer</c>).
    /// </summary>
    /// <param name="peerName">A confirmed peer.</param>
    /// <param name="message">Any JSON value.</param>
    /// <param name="cancellationToken">Stops re-sending; the task is then cancelled.</param>
    /// <returns>The receipt, when the peer acknowledged the message.</returns>
    /// <exception cref="ReliableDeliveryTimeoutException">No acknowledgement within the retry policy.</exception>
    /// <exception cref="PeerNotConnectedException">The peer is not confirmed, or was dropped meanwhile.</exception>
    /// <exception cref="ConnectionTerminatedException">The client terminated meanwhile.</exception>
    /// <exception cref="ArgumentException"><paramref name="message"/> is <c>default</c> (no JSON value).</exception>
    public Task<DeliveryReceipt> SendReliableAsync(string peerName, JsonElement message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(peerName);
        ThrowIfUndefined(message);
        var completion = new TaskCompletionSource<DeliveryReceipt>(_core.CompletionOptions);
        var owned = message.Clone();
        if (!Post(() =>
            {
                if (_core.Registry.TryGet(peerName, out var session))
                {
                    session.Reliable.Send(owned, completion, cancellationToken);
                }
                else
                {
                    completion.TrySetException(new PeerNotConnectedException($"'{peerName}' is not a peer of '{_core.Name}'."));
                }
            }))
        {
            completion.TrySetException(new ConnectionTerminatedException("The client is closed."));
        }

        return completion.Task;
    }

    /// <summary>Serializes <paramref name="message"/> and sends it reliably.</summary>
    /// <typeparam name="T">The message type.</typeparam>
    /// <param name="peerName">A confirmed peer.</param>
    /// <param name="message">The message.</param>
    /// <param name="typeInfo">The metadata of <typeparamref name="T"/> (source-generated for trimming and AOT).</param>
    /// <param name="cancellationToken">Stops re-sending.</param>
    /// <returns>The receipt.</returns>
    public Task<DeliveryReceipt> SendReliableAsync<T>(string peerName, T message, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default) =>
        SendReliableAsync(peerName, JsonSerializer.SerializeToElement(message, typeInfo), cancellationToken);

    /// <summary>
    /// Asks the rendezvous server, on its main port and on its diagnostics port, how it sees this client's socket:
    /// the public end point, whether the NAT maps per destination (symmetric: expect the relay) and whether it keeps
    /// the local port. Uses the client's own socket, so the answer is about the mapping its peers meet.
    /// </summary>
    /// <param name="diagnosticsEndPoint">The server's diagnostics end point (<c>holepunch server --diagnostics-port</c>).</param>
    /// <param name="cancellationToken">Stops the probes.</param>
    /// <returns>The report.</returns>
    /// <exception cref="TimeoutException">A port did not answer.</exception>
    public Task<Diagnostics.NatReport> ProbeNatAsync(IPEndPoint diagnosticsEndPoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(diagnosticsEndPoint);
        return Diagnostics.NatDiagnostics.ProbeNatAsync(
            _core.Transport, _core.RendezvousEndPoint, diagnosticsEndPoint, _core.Scheduler, cancellationToken);
    }

    /// <summary>Forgets a peer (<c>drop_peer</c>); its pending reliable messages fail. Nothing is sent to it.</summary>
    /// <param name="peerName">The peer.</param>
    public void DropPeer(string peerName)
    {
        ArgumentNullException.ThrowIfNull(peerName);
        Post(() => _core.Registry.Drop(peerName));
    }

    /// <summary>
    /// Stops listening to the rendezvous server (<c>drop_connection_with_handshake_server</c>): its errors no longer
    /// terminate the client, and a host stops refreshing its registration, which then expires on the server.
    /// </summary>
    public void StopListeningToRendezvous() => Post(_core.Rendezvous.StopListening);

    /// <summary>Leaves every peer, closes the socket and completes every stream (<c>quit_connection</c>).</summary>
    /// <returns>A task that completes when the client is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            await _core.Terminated.ConfigureAwait(false);
            return;
        }

        if (_ownLoop is null || _ownLoop.IsOnLoop)
        {
            // A given scheduler belongs to the caller's thread (see Options.Scheduler), and a call from the client's
            // own loop (an event handler) must not wait for that loop: close right here.
            _core.Terminate("closed", null);
            _ownLoop?.Dispose();
        }
        else
        {
            try
            {
                _core.Scheduler.Schedule(() => _core.Terminate("closed", null));
            }
            catch (ObjectDisposedException)
            {
                // The loop is gone: the client terminated already.
            }

            await _core.Terminated.ConfigureAwait(false);
            _ownLoop.Dispose();
        }
    }

    /// <summary>Closes the client; see <see cref="DisposeAsync"/>.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static async Task<HolepunchClient> StartAsync(HolepunchClientOptions options, Func<HolepunchClient, Task> start)
    {
        var client = new HolepunchClient(options);
        try
        {
            await start(client).ConfigureAwait(false);
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task StartAsync(string name, string room, bool isHost, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("The client was already started; create another client to host or join again.");
        }

        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var advertised = _core.Options.AdvertisedLocalEndPoint
            ?? LocalAddressResolver.Resolve(_core.Transport.LocalEndPoint, _core.RendezvousEndPoint);
        Post(() =>
        {
            _core.Start(name, room, isHost);
            if (isHost)
            {
                _core.Rendezvous.StartHosting(advertised);
            }
            else
            {
                _core.Rendezvous.StartJoining(advertised);
            }
        });

        using var registration = cancellationToken.Register(() => Post(() => _core.Terminate("start cancelled", null)));
        try
        {
            await _core.Rendezvous.Ready.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested)
        {
            // The cancellation terminates the client, which may fail the start before the wait sees the token:
            // either way the caller asked to stop, and hears so.
            await DisposeAsync().ConfigureAwait(false);
            throw e as OperationCanceledException ?? new OperationCanceledException("The start was cancelled.", e, cancellationToken);
        }
    }

    private static void ThrowIfUndefined(JsonElement message)
    {
        if (message.ValueKind == JsonValueKind.Undefined)
        {
            throw new ArgumentException("The message must be a JSON value; default(JsonElement) holds none.", nameof(message));
        }
    }

    /// <summary>Runs <paramref name="action"/> on the client's scheduler; <see langword="false"/> once closed.</summary>
    private bool Post(Action action)
    {
        if (_core.IsTerminated)
        {
            return false;
        }

        try
        {
            _core.Scheduler.Schedule(action);
            return true;
        }
        catch (ObjectDisposedException)
        {
            // Closed between the check and the call.
            return false;
        }
    }
}
