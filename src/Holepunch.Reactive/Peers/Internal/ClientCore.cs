using System.Buffers;
using System.Net;
using System.Text.Json;
using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using Holepunch.Reactive.Collections;
using Holepunch.Reactive.Peers.Events;
using Holepunch.Reactive.Protocol;
using Holepunch.Reactive.Resilience;
using Holepunch.Reactive.Time;
using Holepunch.Reactive.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Holepunch.Reactive.Peers.Internal;

/// <summary>
/// The client's state and its one inbound pipeline: transport → codec (on the receive thread) → the client's
/// scheduler → acceptance rules → the rendezvous session or the peer registry. Everything here runs on the
/// scheduler; nothing is locked.
/// </summary>
internal sealed partial class ClientCore : IDisposable
{
    private readonly Subject<HolepunchEvent> _events = new();
    private readonly ArrayBufferWriter<byte> _encodeBuffer = new(1024);
    private readonly CancellationTokenSource _lifetime = new();
    private readonly TaskCompletionSource<ConnectionTerminated> _terminated;
    private readonly bool _ownsTransport;
    private readonly ILogger _logger;
    private readonly List<PeerBatcher> _batchesToFlush = [];
    private Action? _flushBatches;
    private readonly bool _coalescesSends;
    private readonly bool _ownsScheduler;
    private long _lastFlushTicks = long.MinValue / 2;
    private bool _answering;
    private bool _flushHandedOff;
    private bool _flushAtEndOfTurn;
    private IDisposable? _inbound;
    private long _received;
    private long _accepted;
    private long _sent;
    private long _duplicates;
    private int _packetObservers;

    public ClientCore(HolepunchClientOptions options, IDatagramTransport transport, bool ownsTransport, IScheduler scheduler, bool ownsScheduler)
    {
        // On the client's own loop, user continuations must not run on (and block) the loop; on a given
        // scheduler (a virtual-time test, a game's main thread) they run inline, deterministically.
        CompletionOptions = ownsScheduler ? TaskCreationOptions.RunContinuationsAsynchronously : TaskCreationOptions.None;
        _ownsScheduler = ownsScheduler;
        _coalescesSends = ownsScheduler && options.BatchCoalescingWindow > TimeSpan.Zero;
        _terminated = new(CompletionOptions);
        Options = options;
        Transport = transport;
        _ownsTransport = ownsTransport;
        Scheduler = ContextFreeScheduler.Wrap(scheduler);
        RendezvousEndPoint = options.RendezvousEndPoint!;
        _logger = options.LoggerFactory?.CreateLogger("Holepunch.Reactive.Client") ?? NullLogger.Instance;
        RendezvousRunner = new RequestRunner(options.RendezvousRetry ?? RequestRetryOptions.Default, Scheduler);
        PeerRunner = new RequestRunner(options.PeerRetry ?? RequestRetryOptions.Default, Scheduler);
        PunchRunner = new RequestRunner(options.PunchRetry ?? RequestRetryOptions.Default, Scheduler);
        ReliableRunner = new RequestRunner(options.ReliableRetry ?? RequestRetryOptions.Default, Scheduler);
        Peers = new SourceCache<PeerInfo, string>(static p => p.Name, StringComparer.Ordinal);
        Registry = new PeerRegistry(this);
        Rendezvous = new RendezvousSession(this, CompletionOptions);
        Outbox = new UnreliableOutbox(this);
        PeerKeys = options.SecurePeers && PeerKeyPair.IsSupported ? new PeerKeyPair() : null;
        // Through OpenSSL directly an agreement takes ~60 µs, less than a wake-up of the thread pool on a busy machine:
        // it runs inline. .NET's own path takes 200-300 µs: off the loop, with the client's own loop.
        AgreeKeys = options.KeyAgreementRunner ?? (ownsScheduler && PeerKeys is { IsDirect: false } ? static work => Task.Run(work) : null);
        AllEvents = Observable.Create<HolepunchEvent>(observer =>
        {
            // Only subscribers that can see PacketReceived make the client allocate one per datagram.
            Interlocked.Increment(ref _packetObservers);
            var subscription = _events.Subscribe(observer);
            return Disposable.Create(() =>
            {
                subscription.Dispose();
                Interlocked.Decrement(ref _packetObservers);
            });
        });
    }

    public HolepunchClientOptions Options { get; }

    /// <summary>How tasks handed to the user complete.</summary>
    public TaskCreationOptions CompletionOptions { get; }

    public IDatagramTransport Transport { get; }

    public IScheduler Scheduler { get; }

    public IPEndPoint RendezvousEndPoint { get; }

    public RequestRunner RendezvousRunner { get; }

    public RequestRunner PeerRunner { get; }

    public RequestRunner PunchRunner { get; }

    public RequestRunner ReliableRunner { get; }

    public SourceCache<PeerInfo, string> Peers { get; }

    public PeerRegistry Registry { get; }

    public RendezvousSession Rendezvous { get; }

    public UnreliableOutbox Outbox { get; }

    public DropCounters Drops { get; } = new();

    /// <summary>
    /// Runs a key agreement off the loop (the thread pool, with the client's own loop); <see langword="null"/> to agree
    /// inline (a given scheduler: a virtual-time test stays deterministic).
    /// </summary>
    public Func<Func<PeerSeal?>, Task<PeerSeal?>>? AgreeKeys { get; }

    /// <summary>The ephemeral key pair announced as <c>peer-key</c>; <see langword="null"/> when peers are not sealed.</summary>
    public PeerKeyPair? PeerKeys { get; }

    public string Name { get; private set; } = "";

    public string RoomName { get; private set; } = "";

    public bool IsHost { get; private set; }

    public bool IsTerminated { get; private set; }

    public CancellationToken Lifetime => _lifetime.Token;

    /// <summary>Every event but <see cref="PacketReceived"/> (which is published only while <see cref="AllEvents"/> has subscribers).</summary>
    public IObservable<HolepunchEvent> Events => _events;

    /// <summary>Every event, <see cref="PacketReceived"/> included.</summary>
    public IObservable<HolepunchEvent> AllEvents { get; }

    public Task<ConnectionTerminated> Terminated => _terminated.Task;

    public ClientStatistics Statistics => new(
        Interlocked.Read(ref _received),
        Interlocked.Read(ref _accepted),
        Interlocked.Read(ref _sent),
        Interlocked.Read(ref _duplicates),
        Drops.Snapshot());

    /// <summary>Takes on a name and starts listening. Runs on the scheduler.</summary>
    public void Start(string name, string room, bool isHost)
    {
        Name = name;
        RoomName = room;
        IsHost = isHost;
        var maxSize = Options.MaxDatagramSize;

        // Decode on the receive thread (the payload is only valid there), then hop onto the client's scheduler: an
        // item of its own loop (run right there when the loop is idle), or ObserveOn a scheduler given in the options.
        var decoded = Transport.Received
            .Select(d =>
            {
                Interlocked.Increment(ref _received);
                var result = MessageCodec.DecodeLean(d.Payload.Span, maxSize, out var envelope);
                return new Inbound(result, d.RemoteEndPoint, envelope);
            });
        _inbound = decoded.DeliverOn(Scheduler, _ownsScheduler, OnInbound, OnTransportFailed, OnTransportCompleted);
    }

    /// <summary>Encodes and sends one message. Runs on the scheduler.</summary>
    public bool Send(HolepunchMessage message, IPEndPoint to)
    {
        if (IsTerminated)
        {
            return false;
        }

        _encodeBuffer.ResetWrittenCount();
        MessageCodec.Encode(message, _encodeBuffer);
        return SendEncoded(_encodeBuffer.WrittenSpan, to);
    }

    /// <summary>Encodes one message into a new array of its exact size (for resending as is). Runs on the scheduler.</summary>
    public byte[] EncodeToArray(HolepunchMessage message)
    {
        _encodeBuffer.ResetWrittenCount();
        MessageCodec.Encode(message, _encodeBuffer);
        return _encodeBuffer.WrittenSpan.ToArray();
    }

    /// <summary>Encodes one reliable message into a new array of its exact size (kept for resends), without a message object. Runs on the scheduler.</summary>
    public byte[] EncodeReliableToArray(string peerName, long messageId, JsonElement message)
    {
        _encodeBuffer.ResetWrittenCount();
        MessageCodec.EncodeReliablePeerMessage(Name, peerName, messageId, message, _encodeBuffer);
        return _encodeBuffer.WrittenSpan.ToArray();
    }

    /// <summary>Sends one datagram that is already encoded. Runs on the scheduler.</summary>
    public bool SendEncoded(ReadOnlySpan<byte> datagram, IPEndPoint to)
    {
        if (IsTerminated)
        {
            return false;
        }

        Interlocked.Increment(ref _sent);
        return Transport.Send(datagram, to);
    }

    /// <summary>Sends one message through a peer's path. Runs on the scheduler.</summary>
    public bool Send(HolepunchMessage message, IPeerPath path)
    {
        if (IsTerminated)
        {
            return false;
        }

        _encodeBuffer.ResetWrittenCount();
        MessageCodec.Encode(message, _encodeBuffer);
        Interlocked.Increment(ref _sent);
        return path.Send(_encodeBuffer.WrittenSpan);
    }

    /// <summary>Encodes and sends one unreliable message through a peer's path, without a message object. Runs on the scheduler.</summary>
    public bool SendUnreliable(string peerName, JsonElement message, IPeerPath path)
    {
        if (IsTerminated)
        {
            return false;
        }

        _encodeBuffer.ResetWrittenCount();
        MessageCodec.EncodeUnreliablePeerMessage(Name, peerName, message, _encodeBuffer);
        Interlocked.Increment(ref _sent);
        return path.Send(_encodeBuffer.WrittenSpan);
    }

    /// <summary>Encodes one message into the shared buffer; the bytes are valid until the next encode. Runs on the scheduler.</summary>
    public ReadOnlySpan<byte> Encode(HolepunchMessage message)
    {
        _encodeBuffer.ResetWrittenCount();
        MessageCodec.Encode(message, _encodeBuffer);
        return _encodeBuffer.WrittenSpan;
    }

    /// <summary>Encodes one unreliable message into the shared buffer, as <see cref="Encode"/>. Runs on the scheduler.</summary>
    public ReadOnlySpan<byte> EncodeUnreliable(string peerName, JsonElement message)
    {
        _encodeBuffer.ResetWrittenCount();
        MessageCodec.EncodeUnreliablePeerMessage(Name, peerName, message, _encodeBuffer);
        return _encodeBuffer.WrittenSpan;
    }

    /// <summary>
    /// Flushes <paramref name="batcher"/> at the end of this turn of the loop: one action scheduled for every batcher
    /// that holds something, behind whatever the scheduler already had queued. Runs on the scheduler.
    /// </summary>
    public void QueueFlush(PeerBatcher batcher)
    {
        _batchesToFlush.Add(batcher);
        if (_batchesToFlush.Count != 1)
        {
            if (_answering && _flushHandedOff && !_flushAtEndOfTurn)
            {
                // An answer (an acknowledgement, a reply) does not wait for a burst's hand-off: this turn flushes it.
                _flushAtEndOfTurn = true;
                Scheduler.Schedule(_flushBatches!);
            }

            return;
        }

        _flushBatches ??= FlushBatches;
        if (_coalescesSends && !_answering && Scheduler.Now.UtcTicks - _lastFlushTicks < Options.BatchCoalescingWindow.Ticks)
        {
            // A burst of sends from a caller's thread (each one its own inline turn): the batch leaves after a hand-off
            // to the thread pool, and the caller's next sends meanwhile join it instead of leaving one a datagram.
            _flushHandedOff = true;
            ThreadPool.UnsafeQueueUserWorkItem(static core => core.FlushAfterHandOff(), this, preferLocal: false);
        }
        else
        {
            Scheduler.Schedule(_flushBatches);
        }
    }

    /// <summary>Counts one more sent datagram that went out through a path.</summary>
    public void CountSent() => Interlocked.Increment(ref _sent);

    public void CountDuplicate() => Interlocked.Increment(ref _duplicates);

    /// <summary>A work item of the client's own loop threw (a subscriber's bug, say): counted and logged; the loop goes on.</summary>
    public void ReportLoopFault(Exception error)
    {
        Drop("handler-fault");
        LogHandlerFault(error);
    }

    public void Drop(string reason)
    {
        Drops.Increment(reason);
        LogDropped(reason);
    }

    public void Emit(HolepunchEvent e)
    {
        if (!IsTerminated)
        {
            _events.OnNext(e);
        }
    }

    /// <summary>Gives up the socket and every peer, then completes every stream. Idempotent. Runs on the scheduler.</summary>
    public void Terminate(string reason, Exception? error)
    {
        if (IsTerminated)
        {
            return;
        }

        var terminated = new ConnectionTerminated(reason, error);
        LogTerminated(reason, error);
        Rendezvous.Close(error ?? new ConnectionTerminatedException(reason));
        Registry.CloseAll(new ConnectionTerminatedException(reason, error));
        _events.OnNext(terminated);
        IsTerminated = true;
        _lifetime.Cancel();
        _inbound?.Dispose();
        _events.OnCompleted();
        Peers.Dispose();
        if (_ownsTransport)
        {
            Transport.Dispose();
        }

        _terminated.TrySetResult(terminated);
    }

    public void Dispose()
    {
        Terminate("closed", null);
        _events.Dispose();
        _lifetime.Dispose();
        PeerKeys?.Dispose();
    }

    private void FlushAfterHandOff()
    {
        try
        {
            Scheduler.Schedule(_flushBatches!);
        }
        catch (ObjectDisposedException)
        {
            // The client closed meanwhile: nothing is sent any more.
        }
    }

    private void FlushBatches()
    {
        _lastFlushTicks = Scheduler.Now.UtcTicks;
        _flushHandedOff = false;
        _flushAtEndOfTurn = false;
        // Unreliable messages that this turn's handlers queued (a reply to what they received) join the turn's batches
        // instead of waiting for a turn, and a datagram, of their own.
        Outbox.DrainNow();

        // Bounded: flushing sends, and sending queues nothing new.
        for (var i = 0; i < _batchesToFlush.Count; i++)
        {
            _batchesToFlush[i].Flush();
        }

        _batchesToFlush.Clear();
    }

    private void OnInbound(Inbound inbound)
    {
        if (IsTerminated)
        {
            return;
        }

        // What a datagram's handlers send (acknowledgements, replies) leaves at the end of this turn, never coalesced.
        _answering = true;
        try
        {
            Handle(inbound);
        }
        finally
        {
            _answering = false;
        }
    }

    private void Handle(Inbound inbound)
    {
        try
        {
            if (inbound.Envelope.Kind != MessageKind.Unknown)
            {
                if (!inbound.From.Equals(RendezvousEndPoint))
                {
                    Registry.Handle(inbound.Envelope, inbound.From);
                    return;
                }

                // A peer's message from the server's address: judged as a message, as any other datagram from there.
                inbound = inbound with { Result = DecodeResult.Success(inbound.Envelope.ToMessage()) };
            }

            var result = inbound.Result;
            if (!result.IsSuccess)
            {
                Drop(result.Rejection.Reason.ToString());
                return;
            }

            var message = result.Message;
            if (inbound.From.Equals(RendezvousEndPoint) && message is RelayDatagram relayed)
            {
                // Relayed traffic keeps flowing after StopListeningToRendezvous: it is peer traffic.
                Registry.HandleRelayed(relayed);
                return;
            }

            if (inbound.From.Equals(RendezvousEndPoint))
            {
                if (Rendezvous.IsListening && Rendezvous.Accepts(message))
                {
                    Accept(message, inbound.From);
                    Rendezvous.Handle(message);
                }
                else
                {
                    Drop(Rendezvous.IsListening ? "unexpected-from-server" : "server-not-listened-to");
                }

                return;
            }

            if (message is PeerOriginatedMessage peerMessage)
            {
                Registry.Handle(peerMessage, inbound.From);
                return;
            }

            Drop("server-message-from-stranger");
        }
#pragma warning disable CA1031 // A bug in one handler must not end the client's only subscription to its socket.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Drop("handler-fault");
            LogHandlerFault(e);
        }
        finally
        {
            inbound.Envelope.Release();
        }
    }

    /// <summary>Counts a datagram that passed the acceptance rules and publishes <see cref="PacketReceived"/>.</summary>
    public void Accept(HolepunchMessage message, IPEndPoint from)
    {
        Interlocked.Increment(ref _accepted);
        if (Volatile.Read(ref _packetObservers) > 0)
        {
            _events.OnNext(new PacketReceived(message, from));
        }
    }

    /// <summary>As <see cref="Accept(HolepunchMessage, IPEndPoint)"/>; the message object is made only when someone observes it.</summary>
    public void Accept(in PeerEnvelope envelope, IPEndPoint from)
    {
        Interlocked.Increment(ref _accepted);
        if (Volatile.Read(ref _packetObservers) > 0)
        {
            _events.OnNext(new PacketReceived(envelope.ToMessage(), from));
        }
    }

    private void OnTransportFailed(Exception error) =>
        Terminate("the socket failed: " + error.Message, error);

    private void OnTransportCompleted() =>
        Terminate("the socket was closed", null);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Dropped a datagram: {Reason}")]
    private partial void LogDropped(string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "A datagram handler failed; the datagram was dropped")]
    private partial void LogHandlerFault(Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connection terminated: {Reason}")]
    private partial void LogTerminated(string reason, Exception? error);

    /// <summary>A decoded datagram: a message (or its rejection) in <see cref="Result"/>, or a peer's <see cref="Envelope"/>.</summary>
    private readonly record struct Inbound(DecodeResult Result, IPEndPoint From, PeerEnvelope Envelope);
}
