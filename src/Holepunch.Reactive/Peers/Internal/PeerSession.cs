using System.Net;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using Holepunch.Reactive.Peers.Events;
using Holepunch.Reactive.Protocol;

namespace Holepunch.Reactive.Peers.Internal;

/// <summary>
/// One peer the server introduced: the punch (paced probes to its local and global address, retried; the first
/// answer fixes the path; the server's relay when no direct answer comes and both sides support it), then liveness
/// (periodic peer checks, falling back to the relay when a direct path dies, probing back to direct while relayed)
/// and the messages exchanged with it. Runs on the client's scheduler.
/// </summary>
internal sealed class PeerSession
{
    private const int LanRetryRounds = 3;
    private readonly ClientCore _core;
    private readonly CancellationTokenSource _cancellation;
    private readonly TaskCompletionSource<bool> _punched = new();
    private readonly IPeerPath _globalPath;
    private readonly IPeerPath? _localPath;
    private readonly HashSet<IPeerPath> _heard = [];
    private readonly Dictionary<IPeerPath, long> _probeSentTicks = [];
    private TaskCompletionSource<bool>? _checkReply;
    private IDisposable? _checkTimer;
    private IDisposable? _upgradeTimer;
    private long _checkSentTicks;
    private bool _answeredAnInquiry;
    private bool _closed;

    public PeerSession(ClientCore core, string name, IPEndPoint globalEndPoint, IPEndPoint localEndPoint, RelayPath? relayPath, PeerSeal? seal, bool batches = false)
    {
        Batcher = batches ? new PeerBatcher(core, name) : null;
        _core = core;
        Name = name;
        GlobalEndPoint = globalEndPoint;
        LocalEndPoint = localEndPoint;
        Seal = seal;
        _globalPath = Sealed(new DirectPath(core.Transport, globalEndPoint, PeerAddressKind.Global));
        _localPath = localEndPoint.Equals(globalEndPoint) ? null : Sealed(new DirectPath(core.Transport, localEndPoint, PeerAddressKind.Local));
        RelayToken = relayPath?.Token;
        RelayPath = relayPath is null ? null : Sealed(relayPath);
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(core.Lifetime);
        Reliable = new ReliableChannel(core, this);
    }

    public string Name { get; }

    public IPEndPoint GlobalEndPoint { get; }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The server's relay for this pair; <see langword="null"/> when either side lacks relay support.</summary>
    public IPeerPath? RelayPath { get; }

    /// <summary>The relay's token, to check relayed datagrams with; <see langword="null"/> without a relay.</summary>
    public string? RelayToken { get; }

    /// <summary>
    /// The pair's session keys when both sides announced a <c>peer-key</c>: every path seals, and only sealed datagrams
    /// are accepted. <see langword="null"/> for a plain (Godot) peer.
    /// </summary>
    public PeerSeal? Seal { get; }

    /// <summary>The <c>peer-key</c> its introduction carried: a new key (the peer restarted) is a new session.</summary>
    public string? PeerKey { get; init; }

    public bool IsConfirmed => Path is not null;

    /// <summary>How datagrams reach the peer once confirmed; <see langword="null"/> while punching.</summary>
    public IPeerPath? Path { get; private set; }

    public PeerInfo? Info { get; private set; }

    public ReliableChannel Reliable { get; }

    /// <summary>This turn's batch when both sides announced <see cref="ProtocolCapabilities.Batch"/>; <see langword="null"/> otherwise.</summary>
    public PeerBatcher? Batcher { get; }

    public CancellationToken Cancellation => _cancellation.Token;

    public IReadOnlyList<IPEndPoint> ProbedEndPoints => [.. DirectPaths.Select(p => p.EndPoint)];

    private IEnumerable<IPeerPath> DirectPaths => _localPath is null ? [_globalPath] : [_localPath, _globalPath];

    public bool IsRecordedAddress(IPEndPoint from) => from.Equals(GlobalEndPoint) || from.Equals(LocalEndPoint);

    /// <summary>The direct path a datagram from <paramref name="from"/> (a recorded address) came by.</summary>
    public IPeerPath DirectPathFrom(IPEndPoint from) => _localPath is not null && from.Equals(LocalEndPoint) ? _localPath : _globalPath;

    public void StartPunching() => _ = PunchAsync();

    /// <summary>Handles an accepted datagram that came by <paramref name="via"/>; answers go back the same way.</summary>
    public void Handle(PeerOriginatedMessage message, IPeerPath via)
    {
        Heard(via);

        switch (message)
        {
            case LocalGlobalInquiry inquiry:
                // Echo the way it came: that is the path the peer's NAT lets through.
                _answeredAnInquiry = true;
                _core.Send(new LocalGlobalInquiryResponse(_core.Name, Name, inquiry.UsedGlobal), via);
                if (IsConfirmed && Rank(via.Kind) < Rank(Path!.Kind))
                {
                    // A triggered check (as ICE): the peer reached us on a better path; probe it back at once,
                    // now that our answer has opened our NAT towards it.
                    SendProbe(via, via.Kind != PeerAddressKind.Local);
                }

                break;
            case LocalGlobalInquiryResponse { Unsolicited: true }:
                // Heard, but no answer to a probe of ours: it proves the peer hears us on no path.
                break;
            case LocalGlobalInquiryResponse:
                OnProbeAnswered(via);
                break;
            case PeerCheck:
                Send(new PeerCheckResponse(_core.Name, Name), via);
                break;
            case PeerCheckResponse:
                _checkReply?.TrySetResult(true);
                break;
            case UnreliablePeerMessage unreliable:
                EmitUnreliable(unreliable.Message);
                break;
            case ReliablePeerMessage reliable:
                Reliable.OnReceived(reliable, via);
                break;
            case ReliablePeerMessageResponse response:
                Reliable.OnAcknowledged(response.MessageId);
                break;
            case PeerBatch batch:
                HandleBatch(batch, via);
                break;
            default:
                _core.Drop("unexpected-peer-message");
                break;
        }
    }

    /// <summary>Handles an accepted unreliable message decoded without a message object, as <see cref="Handle"/> would.</summary>
    public void HandleUnreliable(System.Text.Json.JsonElement message, IPeerPath via)
    {
        Heard(via);
        EmitUnreliable(message);
    }

    /// <summary>Sends one encoded peer message: into this turn's batch when the peer takes batches, else alone at once.</summary>
    public void SendDatagram(ReadOnlySpan<byte> datagram, IPeerPath path)
    {
        if (_core.IsTerminated)
        {
            return;
        }

        if (Batcher is { } batcher)
        {
            batcher.Add(datagram, path);
        }
        else
        {
            _core.CountSent();
            path.Send(datagram);
        }
    }

    /// <summary>Sends one peer message as <see cref="SendDatagram"/> does.</summary>
    public void Send(HolepunchMessage message, IPeerPath path)
    {
        if (Batcher is null)
        {
            _core.Send(message, path);
        }
        else if (!_core.IsTerminated)
        {
            Batcher.Add(_core.Encode(message), path);
        }
    }

    /// <summary>Sends one unreliable message as <see cref="SendDatagram"/> does, without a message object.</summary>
    public void SendUnreliable(System.Text.Json.JsonElement message, IPeerPath path)
    {
        if (Batcher is null)
        {
            _core.SendUnreliable(Name, message, path);
        }
        else if (!_core.IsTerminated)
        {
            Batcher.Add(_core.EncodeUnreliable(Name, message), path);
        }
    }

    /// <summary>
    /// A batch, whose envelope passed the routing checks: each acknowledgement and each message as if it came alone, in
    /// order. An entry the codec left out, or one that names another sender or recipient than the envelope, is counted.
    /// </summary>
    private void Heard(IPeerPath via)
    {
        if (!IsConfirmed)
        {
            _heard.Add(via);
        }
    }

    private void EmitUnreliable(System.Text.Json.JsonElement message) =>
        _core.Emit(new UnreliableMessageReceived(new PeerMessage(Name, message, IsReliable: false, MessageId: null)));

    private void HandleBatch(PeerBatch batch, IPeerPath via)
    {
        for (var i = 0; i < batch.Rejected.Count; i++)
        {
            _core.Drop("bad-batch-entry");
        }

        for (var i = 0; i < batch.Acknowledgements.Count; i++)
        {
            Reliable.OnAcknowledged(batch.Acknowledgements[i]);
        }

        for (var i = 0; i < batch.Messages.Count && !_closed; i++)
        {
            var entry = batch.Messages[i];
            if (!PeerBatch.CanCarry(entry.Kind)
                || !string.Equals(entry.Sender, batch.Sender, StringComparison.Ordinal)
                || !string.Equals(entry.IntendedRecipient, batch.IntendedRecipient, StringComparison.Ordinal))
            {
                _core.Drop("bad-batch-entry");
                continue;
            }

            Handle(entry, via);
        }
    }

    public void Close(Exception error)
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        Batcher?.Clear();
        _checkTimer?.Dispose();
        _upgradeTimer?.Dispose();

        // Pending sends fail with the reason first; cancelling then stops their resends.
        Reliable.Close(error);
        _cancellation.Cancel();
        _cancellation.Dispose();
        Seal?.Dispose();
    }

    private IPeerPath Sealed(IPeerPath path) => Seal is null ? path : new SealedPath(path, Seal);

    private async Task PunchAsync()
    {
        try
        {
            await _core.PunchRunner.RunAsync(SendDirectProbes, _punched.Task, Cancellation).ConfigureAwait(false);
            return;
        }
        catch (TimeoutException) when (RelayPath is not null)
        {
            // No direct answer: both sides support the server's relay, so probe through it.
        }
        catch (TimeoutException)
        {
            _core.Registry.OnHandshakeTimeout(this);
            return;
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            await _core.PeerRunner.RunAsync(
                _ => SendProbe(RelayPath, usedGlobal: true), _punched.Task, Cancellation).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _core.Registry.OnHandshakeTimeout(this);
        }
        catch (OperationCanceledException)
        {
            // Dropped or terminated while punching.
        }
    }

    /// <summary>One round of direct probes: the local address first, the global one a pacing interval later.</summary>
    private void SendDirectProbes(int attempt)
    {
        if (_localPath is not null)
        {
            SendProbe(_localPath, usedGlobal: false);
        }

        var pacing = _localPath is null ? TimeSpan.Zero : _core.Options.ProbePacing;
        if (pacing <= TimeSpan.Zero)
        {
            SendGlobalProbe(attempt);
        }
        else
        {
            _core.Scheduler.Schedule(pacing, () => SendGlobalProbe(attempt));
        }
    }

    private void SendGlobalProbe(int attempt)
    {
        if (_closed || (IsConfirmed && Path!.Kind != PeerAddressKind.Relay))
        {
            return;
        }

        SendProbe(_globalPath, usedGlobal: true);
        if (attempt > 0 && !_answeredAnInquiry)
        {
            // The Godot client probes our global address only once; if that probe was lost it can still confirm
            // us from an unsolicited response (PROTOCOL.md, quirks).
            _core.Send(new LocalGlobalInquiryResponse(_core.Name, Name, UsedGlobal: true) { Unsolicited = true }, _globalPath);
        }
    }

    private void SendProbe(IPeerPath path, bool usedGlobal)
    {
        _probeSentTicks[path] = _core.Scheduler.Now.UtcTicks;
        _core.Send(new LocalGlobalInquiry(_core.Name, Name, usedGlobal), path);
    }

    private void OnProbeAnswered(IPeerPath via)
    {
        var roundTrip = _probeSentTicks.TryGetValue(via, out var sent) ? Elapsed(sent) : TimeSpan.Zero;
        if (!IsConfirmed)
        {
            Confirm(via, roundTrip);
        }
        else if (Rank(via.Kind) < Rank(Path!.Kind))
        {
            // A better path answered (direct while relayed, the LAN while global): upgrade.
            SwitchTo(via, roundTrip);
        }
    }

    private void Confirm(IPeerPath via, TimeSpan roundTrip)
    {
        Path = via;
        Info = new PeerInfo(Name, via.EndPoint, via.Kind, roundTrip) { IsAuthenticated = Seal is not null };
        _punched.TrySetResult(true);
        if (!_answeredAnInquiry)
        {
            // The peer may have lost every probe we answered; tell it the path works.
            _core.Send(new LocalGlobalInquiryResponse(_core.Name, Name, via.Kind != PeerAddressKind.Local), via);
        }

        _core.Registry.OnConfirmed(this);
        if (_closed)
        {
            return;
        }

        _checkTimer = Observable.Interval(_core.Options.PeerCheckInterval, _core.Scheduler).Subscribe(_ => StartCheck());
        UpdateUpgradeProbing();
    }

    private void SwitchTo(IPeerPath path, TimeSpan roundTrip)
    {
        Path = path;
        Info = Info! with { EndPoint = path.EndPoint, Via = path.Kind, RoundTripTime = roundTrip };
        _core.Peers.AddOrUpdate(Info);
        _core.Emit(new PeerPathChanged(Info));
        UpdateUpgradeProbing();
    }

    /// <summary>Local beats global beats relay: the first answer confirms a peer, a better one later upgrades it.</summary>
    private static int Rank(PeerAddressKind kind) => kind switch
    {
        PeerAddressKind.Local => 0,
        PeerAddressKind.Global => 1,
        _ => 2,
    };

    /// <summary>
    /// While relayed, probe the direct addresses now and then; confirmed through the global address with a LAN
    /// address untried (its probe lost), probe the LAN a few more rounds. An answer upgrades the path.
    /// </summary>
    private void UpdateUpgradeProbing()
    {
        _upgradeTimer?.Dispose();
        _upgradeTimer = null;
        if (Path?.Kind == PeerAddressKind.Relay)
        {
            _upgradeTimer = Observable.Interval(_core.Options.RelayUpgradeInterval, _core.Scheduler)
                .Subscribe(_ => SendDirectProbes(attempt: 1));
        }
        else if (Path?.Kind == PeerAddressKind.Global && _localPath is { } local)
        {
            _upgradeTimer = Observable.Interval(_core.PunchRunner.Options.ReplyTimeout, _core.Scheduler)
                .Take(LanRetryRounds)
                .Subscribe(_ => SendProbe(local, usedGlobal: false));
        }
    }

    private void StartCheck() => _ = CheckAsync();

    private async Task CheckAsync()
    {
        if (_checkReply is { Task.IsCompleted: false } || _closed)
        {
            return;
        }

        var reply = _checkReply = new TaskCompletionSource<bool>();
        try
        {
            await _core.PeerRunner.RunAsync(
                _ =>
                {
                    _checkSentTicks = _core.Scheduler.Now.UtcTicks;
                    Send(new PeerCheck(_core.Name, Name), Path!);
                },
                reply.Task,
                Cancellation).ConfigureAwait(false);
            UpdateRoundTrip(Elapsed(_checkSentTicks));
        }
        catch (TimeoutException) when (RelayPath is not null && Path != RelayPath)
        {
            // The direct path died: fall back to the relay and check through it at once.
            SwitchTo(RelayPath, Info!.RoundTripTime);
            _checkReply = null;
            StartCheck();
        }
        catch (TimeoutException)
        {
            _core.Registry.OnCheckTimeout(this);
        }
        catch (OperationCanceledException)
        {
            // Dropped or terminated meanwhile.
        }
    }

    private void UpdateRoundTrip(TimeSpan roundTrip)
    {
        if (_closed || Info is null || Info.RoundTripTime == roundTrip)
        {
            return;
        }

        Info = Info with { RoundTripTime = roundTrip };
        _core.Peers.AddOrUpdate(Info);
    }

    private TimeSpan Elapsed(long sinceTicks) => TimeSpan.FromTicks(_core.Scheduler.Now.UtcTicks - sinceTicks);

    /// <summary>What the handshake-timeout event reports as heard.</summary>
    public IReadOnlyList<IPEndPoint> HeardEndPoints => [.. _heard.Select(p => p.EndPoint)];
}
