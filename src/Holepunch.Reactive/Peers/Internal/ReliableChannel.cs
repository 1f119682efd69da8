using System.Text.Json;
using Holepunch.Reactive.Peers.Events;
using Holepunch.Reactive.Protocol;
using Holepunch.Reactive.Resilience;

namespace Holepunch.Reactive.Peers.Internal;

/// <summary>
/// Reliable messages to and from one peer: ids, resends until acknowledged, and on receipt an acknowledgement
/// for every copy but delivery of the first only (optionally in send order). Runs on the client's scheduler.
/// </summary>
internal sealed class ReliableChannel : IDisposable
{
    private readonly ClientCore _core;
    private readonly PeerSession _session;
    private readonly Dictionary<long, Outgoing> _pending = [];
    private readonly ReceiveWindow _window;
    private readonly OrderedReassembly<PeerMessage>? _ordered;
    private long _nextId;
    private bool _closed;

    public ReliableChannel(ClientCore core, PeerSession session)
    {
        _core = core;
        _session = session;
        _window = new ReceiveWindow(core.Options.ReliableWindow);
        if (core.Options.OrderedReliableDelivery)
        {
            _ordered = new OrderedReassembly<PeerMessage>(core.Scheduler, core.Options.OrderedDeliveryGapTimeout, Deliver);
        }
    }

    public int PendingCount => _pending.Count;

    /// <summary>
    /// Sends one reliable message; <paramref name="completion"/> gets the receipt or the failure. Without pauses between
    /// attempts (the default) the first attempt is sent and timed here, with nothing allocated beyond the message's own
    /// record, and the retry pipeline takes over only if it times out; otherwise the pipeline makes every attempt.
    /// </summary>
    public void Send(JsonElement message, TaskCompletionSource<DeliveryReceipt> completion, CancellationToken cancellationToken)
    {
        if (_closed || _session.Path is null)
        {
            completion.TrySetException(new PeerNotConnectedException($"Peer '{_session.Name}' is not connected."));
            return;
        }

        if (_pending.Count >= _core.Options.ReliableWindow)
        {
            completion.TrySetException(new HolepunchException(
                $"{_pending.Count} reliable messages to '{_session.Name}' are already pending; wait for some to be acknowledged."));
            return;
        }

        // Encoded once, re-sent as is; each attempt goes through the path of the moment.
        var id = _nextId++;
        var datagram = _core.EncodeReliableToArray(_session.Name, id, message);
        var outgoing = new Outgoing(this, id, message, datagram, completion, _core.Scheduler.Now.UtcTicks, cancellationToken);
        _pending.Add(id, outgoing);
        var runner = _core.ReliableRunner;
        if (!runner.LetsCallersSendTheFirstAttempt)
        {
            _ = SendThroughRunnerAsync(outgoing, resend: false);
            return;
        }

        if (cancellationToken.CanBeCanceled)
        {
            outgoing.Registration = cancellationToken.Register(static state => ((Outgoing)state!).CancelOnLoop(), outgoing);
        }

        outgoing.SendAttempt(0);
        outgoing.Deadline = runner.FirstAttemptDeadline;
        runner.WatchFirstAttempt(outgoing);
    }

    public void OnAcknowledged(long id)
    {
        if (!_pending.TryGetValue(id, out var acknowledged))
        {
            // An acknowledgement for another copy of a message already settled.
            _core.Drop("stale-acknowledgement");
        }
        else if (acknowledged.Resending is { } resending)
        {
            resending.TrySetResult(true);
        }
        else
        {
            Delivered(acknowledged);
        }
    }

    public void OnReceived(ReliablePeerMessage message, IPeerPath via)
    {
        // Acknowledge every copy (the Godot client resends regardless and needs each one answered), mirroring
        // the message as the Godot client does; a peer that takes batches gets the id alone, in this turn's batch.
        if (_session.Batcher is { } batcher)
        {
            if (!_core.IsTerminated)
            {
                batcher.Acknowledge(message.MessageId, via);
            }
        }
        else
        {
            _core.Send(new ReliablePeerMessageResponse(_core.Name, _session.Name, message.MessageId, message.Message), via);
        }
        if (!_window.TryAccept(message.MessageId))
        {
            _core.CountDuplicate();
            return;
        }

        var received = new PeerMessage(_session.Name, message.Message, IsReliable: true, message.MessageId);
        if (_ordered is null)
        {
            Deliver(received);
        }
        else
        {
            _ordered.Accept(message.MessageId, received);
        }
    }

    public void Close(Exception error)
    {
        _closed = true;
        Dispose();
        foreach (var pending in _pending.Values.ToList())
        {
            if (pending.Resending is { } resending)
            {
                // The pipeline ends with the error and settles the message.
                resending.TrySetException(error);
            }
            else
            {
                Settle(pending);
                pending.Completion.TrySetException(error);
            }
        }
    }

    public void Dispose() => _ordered?.Dispose();

    private void Deliver(PeerMessage message) => _core.Emit(new ReliableMessageReceived(message));

    private void Settle(Outgoing outgoing)
    {
        outgoing.IsSettled = true;
        outgoing.Registration.Dispose();
        _pending.Remove(outgoing.Id);
    }

    private void Delivered(Outgoing outgoing)
    {
        Settle(outgoing);
        var roundTrip = TimeSpan.FromTicks(_core.Scheduler.Now.UtcTicks - outgoing.Started);
        _core.Emit(new ReliableMessageDelivered(_session.Name, outgoing.Id, outgoing.Message, roundTrip));
        outgoing.Completion.TrySetResult(new DeliveryReceipt(_session.Name, outgoing.Id, roundTrip));
    }

    /// <summary>A caller's cancellation, from its own thread, onto the client's scheduler; nothing once the loop is gone.</summary>
    private static void OnLoop(System.Reactive.Concurrency.IScheduler scheduler, Action action)
    {
        try
        {
            System.Reactive.Concurrency.Scheduler.Schedule(scheduler, action);
        }
        catch (ObjectDisposedException)
        {
            // The client's loop is gone (closed): the send has failed already; nothing to cancel.
        }
    }

    /// <summary>The first attempt, sent by <see cref="Send"/>, timed out: the retry pipeline makes the rest.</summary>
    private void OnFirstAttemptExpired(Outgoing outgoing)
    {
        outgoing.Registration.Dispose();
        _ = SendThroughRunnerAsync(outgoing, resend: true);
    }

    /// <summary>The caller cancelled a message whose first attempt is still out. Runs on the scheduler.</summary>
    private void OnCancelled(Outgoing outgoing)
    {
        if (!outgoing.IsSettled)
        {
            Settle(outgoing);
            outgoing.Completion.TrySetCanceled(outgoing.CancellationToken);
        }
    }

    /// <summary>Every attempt (<paramref name="resend"/> false), or those after a first one that timed out, through the retry pipeline.</summary>
    private async Task SendThroughRunnerAsync(Outgoing outgoing, bool resend)
    {
        var (id, message, completion, cancellationToken) = (outgoing.Id, outgoing.Message, outgoing.Completion, outgoing.CancellationToken);
        var acknowledged = outgoing.Resending = new TaskCompletionSource<bool>();

        // A caller's token gets a source of its own, cancelled on the client's scheduler (the caller cancels from its own
        // thread); without one, the session's token is enough and nothing is allocated for it.
        using var cancellation = cancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(_session.Cancellation) : null;
        using var callerCancellation = cancellation is null ? default : cancellationToken.Register(
            static state =>
            {
                var (scheduler, source) = ((System.Reactive.Concurrency.IScheduler, CancellationTokenSource))state!;
                OnLoop(scheduler, () =>
                {
                    try
                    {
                        source.Cancel();
                    }
                    catch (ObjectDisposedException)
                    {
                        // Settled meanwhile.
                    }
                });
            },
            (_core.Scheduler, cancellation));
        try
        {
            Action<int> send = outgoing.SendAttempt;
            var token = cancellation?.Token ?? _session.Cancellation;
            await (resend
                ? _core.ReliableRunner.ResendAsync(send, acknowledged.Task, token)
                : _core.ReliableRunner.RunAsync(send, acknowledged.Task, token)).ConfigureAwait(false);
            Delivered(outgoing);
        }
        catch (TimeoutException)
        {
            _core.Emit(new ReliableMessageTimedOut(_session.Name, id, message));
            completion.TrySetException(new ReliableDeliveryTimeoutException(
                $"Reliable message {id} to '{_session.Name}' was not acknowledged after {_core.ReliableRunner.Options.MaxAttempts} attempts."));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            completion.TrySetCanceled(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            completion.TrySetException(new PeerNotConnectedException($"Peer '{_session.Name}' was dropped before message {id} was acknowledged."));
        }
        catch (HolepunchException e)
        {
            // Closed with a reason (dropped peer, terminated client).
            completion.TrySetException(e);
        }
        finally
        {
            Settle(outgoing);
        }
    }

    /// <summary>
    /// One reliable message on its way: its encoded datagram, its caller's completion, and while the first attempt is
    /// out, that attempt's deadline on the runner's timer.
    /// </summary>
    private sealed class Outgoing(
        ReliableChannel channel, long id, JsonElement message, byte[] datagram, TaskCompletionSource<DeliveryReceipt> completion,
        long started, CancellationToken cancellationToken) : IReplyDeadline
    {
        public long Id { get; } = id;

        public JsonElement Message { get; } = message;

        public TaskCompletionSource<DeliveryReceipt> Completion { get; } = completion;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public long Started { get; } = started;

        public DateTimeOffset Deadline { get; set; }

        /// <summary>Acknowledged, failed or cancelled, or handed to the retry pipeline (which then times it).</summary>
        public bool IsSettled
        {
            get => field || Resending is not null;
            set;
        }

        /// <summary>Set once the retry pipeline sends the message: completes with its acknowledgement.</summary>
        public TaskCompletionSource<bool>? Resending { get; set; }

        /// <summary>The caller's cancellation while the first attempt is out.</summary>
        public CancellationTokenRegistration Registration { get; set; }

        public void SendAttempt(int attempt)
        {
            if (channel._session.Path is { } path)
            {
                channel._session.SendDatagram(datagram, path);
            }
        }

        public void Expire()
        {
            if (!IsSettled)
            {
                channel.OnFirstAttemptExpired(this);
            }
        }

        /// <summary>From the caller's thread: the cancellation is handled on the client's scheduler.</summary>
        public void CancelOnLoop() => OnLoop(channel._core.Scheduler, () => channel.OnCancelled(this));
    }
}
