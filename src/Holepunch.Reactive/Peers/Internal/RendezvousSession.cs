using System.Net;
using System.Reactive.Linq;
using Holepunch.Reactive.Peers.Events;
using Holepunch.Reactive.Protocol;

namespace Holepunch.Reactive.Peers.Internal;

/// <summary>
/// The client's side of the rendezvous server: registering and refreshing a room (host), or asking to join one
/// (joiner), and handling what the server sends back. Runs on the client's scheduler.
/// </summary>
internal sealed class RendezvousSession(ClientCore core, TaskCreationOptions completionOptions)
{
    private readonly TaskCompletionSource _ready = new(completionOptions);
    private TaskCompletionSource<bool>? _confirmation;
    private TaskCompletionSource<ProvidingPeerHandshakeInfo>? _introduction;
    private IDisposable? _refreshTimer;
    private bool _refreshing;
    private long _lastConfirmedTicks;
    private IPEndPoint _advertised = new(IPAddress.Loopback, 0);
    private RequestingToJoinServer? _join;
    private byte[]? _roomKey;
    private int _challengesAnswered;

    /// <summary>How many challenges one join answers before it gives up (a server that keeps challenging is broken).</summary>
    private const int MaxChallenges = 3;

    /// <summary>The room key derived from <see cref="HolepunchClientOptions.RoomSecret"/>, once; <see langword="null"/> for an open room.</summary>
    private byte[]? RoomKey => _roomKey ??= core.Options.RoomSecret is { } secret ? RoomSecret.DeriveKey(secret, core.RoomName) : null;

    public bool IsListening { get; private set; } = true;

    private static readonly IReadOnlyList<string> RelayCapability = [ProtocolCapabilities.Relay];
    private static readonly IReadOnlyList<string> BatchCapability = [ProtocolCapabilities.Batch];
    private static readonly IReadOnlyList<string> RelayAndBatchCapabilities = [ProtocolCapabilities.Relay, ProtocolCapabilities.Batch];

    private IReadOnlyList<string>? Capabilities => (core.Options.EnableRelay, core.Options.BatchPeerMessages) switch
    {
        (true, true) => RelayAndBatchCapabilities,
        (true, false) => RelayCapability,
        (false, true) => BatchCapability,
        _ => null,
    };

    /// <summary>Completes when registered (host) or when the host is confirmed (joiner); faults on failure.</summary>
    public Task Ready => _ready.Task;

    public void StartHosting(IPEndPoint advertised)
    {
        _advertised = advertised;
        _ = RegisterAsync(first: true);
    }

    public void StartJoining(IPEndPoint advertised)
    {
        _advertised = advertised;
        _ = JoinAsync();
    }

    /// <summary>Whether a datagram from the server's address is one the server sends to this client.</summary>
    public bool Accepts(HolepunchMessage message) => message switch
    {
        ConfirmingRegistration => core.IsHost,

        // A joiner is introduced to its room's host only; nobody is introduced to itself.
        ProvidingPeerHandshakeInfo info => info.PeerName != core.Name && (core.IsHost || info.PeerName == core.RoomName),
        ServerError => true,
        _ => false,
    };

    /// <summary>Handles an accepted server datagram.</summary>
    public void Handle(HolepunchMessage message)
    {
        switch (message)
        {
            case ConfirmingRegistration:
                _confirmation?.TrySetResult(true);
                break;
            case ProvidingPeerHandshakeInfo info:
                core.Registry.Introduce(info);
                _introduction?.TrySetResult(info);
                break;
            case ServerError error:
                if (error.Challenge is { } challenge && TryAnswer(challenge))
                {
                    break;
                }

                core.Emit(new ServerErrorReceived(error.Message));
                core.Terminate("server error: " + error.Message, new RendezvousServerException(error.Message));
                break;
        }
    }

    /// <summary>Stops refreshing and ignores the server from now on (<c>drop_connection_with_handshake_server</c>).</summary>
    public void StopListening()
    {
        IsListening = false;
        _refreshTimer?.Dispose();
        _refreshTimer = null;
    }

    public void Close(Exception error)
    {
        StopListening();
        _ready.TrySetException(error);
    }

    /// <summary>The joiner's host was confirmed: <see cref="Ready"/> completes.</summary>
    public void OnHostConfirmed() => _ready.TrySetResult();

    /// <summary>The joiner could not punch to its host: the connection ends.</summary>
    public void OnHostUnreachable(string host)
    {
        var error = new PeerHandshakeTimeoutException($"No punch probe to host '{host}' was answered.");
        _ready.TrySetException(error);
        core.Terminate($"could not reach host '{host}'", error);
    }

    /// <summary>
    /// A joiner with the room's secret answers the server's challenge: the join is sent again at once with the proof,
    /// and its re-sends carry the proof from now on. Without a secret, or after <see cref="MaxChallenges"/>, the
    /// challenge is an error like any other.
    /// </summary>
    private bool TryAnswer(string challenge)
    {
        if (core.IsHost || _join is null || RoomKey is not { } key || _challengesAnswered >= MaxChallenges)
        {
            return false;
        }

        _challengesAnswered++;
        _join = _join with { Challenge = challenge, ChallengeResponse = RoomSecret.ComputeResponse(key, challenge, core.Name, core.RoomName) };
        core.Send(_join, core.RendezvousEndPoint);
        return true;
    }

    private async Task RegisterAsync(bool first)
    {
        _refreshing = true;
        _confirmation = new TaskCompletionSource<bool>();
        var registration = new RegisteringServer(core.Name, _advertised, (int)core.Options.RegistrationValidity.TotalSeconds)
        {
            Capabilities = Capabilities,
            ProtocolVersion = Capabilities is null ? null : 1,
            PeerKey = core.PeerKeys?.PublicKey,
            RoomVerifier = RoomKey is { } key ? RoomSecret.ToVerifier(key) : null,
        };
        try
        {
            await core.RendezvousRunner.RunAsync(
                _ => core.Send(registration, core.RendezvousEndPoint), _confirmation.Task, core.Lifetime).ConfigureAwait(false);
            _lastConfirmedTicks = core.Scheduler.Now.UtcTicks;
            if (first)
            {
                // Registered before its event: a subscriber that closes the client on it does not fail the start.
                _ready.TrySetResult();
                core.Emit(new Registered(core.Name));
                _refreshTimer = Observable.Interval(core.Options.RegistrationRefreshInterval, core.Scheduler)
                    .Subscribe(_ => Refresh());
            }
        }
        catch (TimeoutException) when (first)
        {
            var error = new RendezvousTimeoutException($"The rendezvous server {core.RendezvousEndPoint} did not confirm room '{core.Name}'.");
            _ready.TrySetException(error);
            core.Terminate("registration timed out", error);
        }
        catch (TimeoutException)
        {
            // A lost refresh is retried at the next interval; only once the registration must have expired
            // on the server is the server gone for good (as the reference, which terminates).
            var unconfirmed = TimeSpan.FromTicks(core.Scheduler.Now.UtcTicks - _lastConfirmedTicks);
            if (unconfirmed >= core.Options.RegistrationValidity)
            {
                core.Terminate(
                    "registration refresh timed out",
                    new RendezvousTimeoutException($"The rendezvous server has not confirmed room '{core.Name}' for {unconfirmed}."));
            }
        }
        catch (OperationCanceledException)
        {
            // Terminated meanwhile.
        }
        finally
        {
            _refreshing = false;
        }
    }

    private void Refresh()
    {
        if (!_refreshing && IsListening)
        {
            _ = RegisterAsync(first: false);
        }
    }

    private async Task JoinAsync()
    {
        _introduction = new TaskCompletionSource<ProvidingPeerHandshakeInfo>();
        _join = new RequestingToJoinServer(core.Name, _advertised, core.RoomName)
        {
            Capabilities = Capabilities,
            ProtocolVersion = Capabilities is null ? null : 1,
            PeerKey = core.PeerKeys?.PublicKey,
        };
        try
        {
            await core.RendezvousRunner.RunAsync(
                _ => core.Send(_join, core.RendezvousEndPoint), _introduction.Task, core.Lifetime).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            var error = new RendezvousTimeoutException($"The rendezvous server {core.RendezvousEndPoint} did not answer the request to join '{core.RoomName}'.");
            _ready.TrySetException(error);
            core.Terminate("join timed out", error);
        }
        catch (OperationCanceledException)
        {
            // Terminated meanwhile.
        }
    }
}
