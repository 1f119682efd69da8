using System.Text.Json;
using Holepunch.Reactive.Peers.Events;
using Holepunch.Reactive.Protocol;

namespace Holepunch.Reactive.Peers.Internal;

/// <summary>
/// Reliable messages to and from one peer: ids, resends until acknowledged, and on receipt an acknowledgement
/// for every copy but delivery of the first only (optionally in send order). Runs on the client's scheduler.
/// </summary>
internal sealed class ReliableChannel : IDisposable
{
    private readonly ClientCore _core;
    private readonly PeerSession _session;
    private readonly Dictionary<long, TaskCompletionSource<bool>> _pending = [];
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

    /// <summary>Sends one reliable message; <paramref name="completion"/> gets the receipt or the failure.</summary>
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

        _ = SendAsync(_nextId++, message, completion, cancellationToken);
    }

    public void OnAcknowledged(long id)
    {
        if (_pending.TryGetValue(id, out var acknowledged))
        {
            acknowledged.TrySetResult(true);
        }
        else
        {
            // An acknowledgement for another copy of a message already settled.
            _core.Drop("stale-acknowledgement");
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
        foreach (var pending in _pending.Values)
        {
            pending.TrySetException(error);
        }
    }

    public void Dispose() => _ordered?.Dispose();

    private void Deliver(PeerMessage message) => _core.Emit(new ReliableMessageReceived(message));

    private async Task SendAsync(long id, JsonElement message, TaskCompletionSource<DeliveryReceipt> completion, CancellationToken cancellationToken)
    {
        // Encoded once, re-sent as is; each attempt goes through the path of the moment.
        var datagram = _core.EncodeToArray(new ReliablePeerMessage(_core.Name, _session.Name, id, message));
        var acknowledged = new TaskCompletionSource<bool>();
        _pending.Add(id, acknowledged);
        var started = _core.Scheduler.Now.UtcTicks;

        // A caller's token gets a source of its own, cancelled on the client's scheduler (the caller cancels from its own
        // thread); without one, the session's token is enough and nothing is allocated for it.
        using var cancellation = cancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(_session.Cancellation) : null;
        using var callerCancellation = cancellation is null ? default : cancellationToken.Register(
            static state =>
            {
                var (scheduler, source) = ((System.Reactive.Concurrency.IScheduler, CancellationTokenSource))state!;
                try
                {
                    System.Reactive.Concurrency.Scheduler.Schedule(scheduler, () =>
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
                }
                catch (ObjectDisposedException)
                {
                    // The client's loop is gone (closed): the send has failed already; nothing to cancel.
                }
            },
            (_core.Scheduler, cancellation));
        try
        {
            await _core.ReliableRunner.RunAsync(
                _ =>
                {
                    if (_session.Path is { } path)
                    {
                        _session.SendDatagram(datagram, path);
                    }
                },
                acknowledged.Task,
                cancellation?.Token ?? _session.Cancellation).ConfigureAwait(false);
            var receipt = new DeliveryReceipt(_session.Name, id, TimeSpan.FromTicks(_core.Scheduler.Now.UtcTicks - started));
            _core.Emit(new ReliableMessageDelivered(_session.Name, id, message, receipt.RoundTripTime));
            completion.TrySetResult(receipt);
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
            _pending.Remove(id);
        }
    }
}
