using System.Net;
using System.Reactive.Linq;
using Holepunch.Reactive.Peers.Events;
using Holepunch.Reactive.Protocol;

namespace Holepunch.Reactive.Peers.Internal;

/// <summary>
/// One peer the server introduced: the punch (probes to its global and local address, the first answer fixes the
/// path), then liveness (periodic peer checks) and the messages exchanged with it. Runs on the client's scheduler.
/// </summary>
internal sealed class PeerSession
{
    private readonly ClientCore _core;
    private readonly CancellationTokenSource _cancellation;
    private readonly TaskCompletionSource<bool> _punched = new();
    private TaskCompletionSource<bool>? _checkReply;
    private IDisposable? _checkTimer;
    private long _probeSentTicks;
    private long _checkSentTicks;
    private bool _answeredAnInquiry;
    private bool _closed;

    public PeerSession(ClientCore core, string name, IPEndPoint globalEndPoint, IPEndPoint localEndPoint)
    {
        _core = core;
        Name = name;
        GlobalEndPoint = globalEndPoint;
        LocalEndPoint = localEndPoint;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(core.Lifetime);
        Reliable = new ReliableChannel(core, this);
    }

    public string Name { get; }

    public IPEndPoint GlobalEndPoint { get; }

    public IPEndPoint LocalEndPoint { get; }

    public bool IsConfirmed => Path is not null;

    /// <summary>How datagrams reach the peer once confirmed; <see langword="null"/> while punching.</summary>
    public IPeerPath? Path { get; private set; }

    public PeerInfo? Info { get; private set; }

    public ReliableChannel Reliable { get; }

    public CancellationToken Cancellation => _cancellation.Token;

    public IReadOnlyList<IPEndPoint> ProbedEndPoints =>
        LocalEndPoint.Equals(GlobalEndPoint) ? [GlobalEndPoint] : [GlobalEndPoint, LocalEndPoint];

    public bool IsRecordedAddress(IPEndPoint from) => from.Equals(GlobalEndPoint) || from.Equals(LocalEndPoint);

    public void StartPunching() => _ = PunchAsync();

    public void Handle(PeerOriginatedMessage message, IPEndPoint from)
    {
        switch (message)
        {
            case LocalGlobalInquiry inquiry:
                // Echo to where it came from: that is the path the peer's NAT lets through.
                _answeredAnInquiry = true;
                _core.Send(new LocalGlobalInquiryResponse(_core.Name, Name, inquiry.UsedGlobal), from);
                break;
            case LocalGlobalInquiryResponse:
                if (!IsConfirmed)
                {
                    Confirm(from, Elapsed(_probeSentTicks));
                }

                break;
            case PeerCheck:
                _core.Send(new PeerCheckResponse(_core.Name, Name), from);
                break;
            case PeerCheckResponse:
                _checkReply?.TrySetResult(true);
                break;
            case UnreliablePeerMessage unreliable:
                _core.Emit(new UnreliableMessageReceived(new PeerMessage(Name, unreliable.Message, IsReliable: false, MessageId: null)));
                break;
            case ReliablePeerMessage reliable:
                Reliable.OnReceived(reliable, from);
                break;
            case ReliablePeerMessageResponse response:
                Reliable.OnAcknowledged(response.MessageId);
                break;
            default:
                _core.Drop("unexpected-peer-message");
                break;
        }
    }

    public void Close(Exception error)
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        _checkTimer?.Dispose();

        // Pending sends fail with the reason first; cancelling then stops their resends.
        Reliable.Close(error);
        _cancellation.Cancel();
        _cancellation.Dispose();
    }

    private async Task PunchAsync()
    {
        try
        {
            await _core.PeerRunner.RunAsync(SendProbes, _punched.Task, Cancellation).ConfigureAwait(false);
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

    private void SendProbes(int attempt)
    {
        // The local address first: on a tie (one router, hairpinning) the LAN answer arrives first and wins,
        // as ICE prefers host candidates.
        _probeSentTicks = _core.Scheduler.Now.UtcTicks;
        if (!LocalEndPoint.Equals(GlobalEndPoint))
        {
            _core.Send(new LocalGlobalInquiry(_core.Name, Name, UsedGlobal: false), LocalEndPoint);
        }

        _core.Send(new LocalGlobalInquiry(_core.Name, Name, UsedGlobal: true), GlobalEndPoint);

        if (attempt > 0 && !_answeredAnInquiry)
        {
            // The Godot client probes our global address only once; if that probe was lost it can still confirm
            // us from an unsolicited response (PROTOCOL.md, quirks).
            _core.Send(new LocalGlobalInquiryResponse(_core.Name, Name, UsedGlobal: true), GlobalEndPoint);
        }
    }

    private void Confirm(IPEndPoint from, TimeSpan roundTrip)
    {
        var via = from.Equals(LocalEndPoint) && !LocalEndPoint.Equals(GlobalEndPoint) ? PeerAddressKind.Local : PeerAddressKind.Global;
        Path = new DirectPath(_core.Transport, from, via);
        Info = new PeerInfo(Name, from, via, roundTrip);
        _punched.TrySetResult(true);
        if (!_answeredAnInquiry)
        {
            // The peer may have lost every probe we answered; tell it the path works.
            _core.Send(new LocalGlobalInquiryResponse(_core.Name, Name, via == PeerAddressKind.Global), from);
        }

        _core.Registry.OnConfirmed(this);
        if (!_closed)
        {
            _checkTimer = Observable.Interval(_core.Options.PeerCheckInterval, _core.Scheduler).Subscribe(_ => StartCheck());
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
                    _core.Send(new PeerCheck(_core.Name, Name), Path!);
                },
                reply.Task,
                Cancellation).ConfigureAwait(false);
            UpdateRoundTrip(Elapsed(_checkSentTicks));
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
}
