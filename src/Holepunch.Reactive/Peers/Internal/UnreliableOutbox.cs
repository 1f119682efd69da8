using System.Collections.Concurrent;
using System.Reactive.Concurrency;
using System.Text.Json;

namespace Holepunch.Reactive.Peers.Internal;

/// <summary>
/// Unreliable messages on their way from any thread to the client's scheduler: a queue drained by one scheduled turn
/// of the loop, scheduled only when the queue was idle. A burst of sends costs one turn and no allocation per message
/// (posting each send as its own action allocated a closure and a scheduled item every time).
/// </summary>
/// <remarks>
/// Unreliable messages keep their order among themselves; relative to other calls (a reliable send, dropping a peer)
/// a message may leave with the turn that was already scheduled, as unreliable delivery promises no order anyway.
/// </remarks>
internal sealed class UnreliableOutbox
{
    private readonly ConcurrentQueue<(string Peer, JsonElement Message)> _queue = new();
    private readonly ClientCore _core;
    private readonly Action _drain;
    private int _scheduled;

    public UnreliableOutbox(ClientCore core)
    {
        _core = core;
        _drain = Drain;
    }

    /// <summary>Queues one message; safe from any thread.</summary>
    public void Enqueue(string peerName, JsonElement message)
    {
        _queue.Enqueue((peerName, message));
        if (Interlocked.Exchange(ref _scheduled, 1) == 0)
        {
            _core.Scheduler.Schedule(_drain);
        }
    }

    /// <summary>Sends what is queued now, ahead of the turn scheduled for it (which then finds less, or nothing). Runs on the scheduler.</summary>
    public void DrainNow()
    {
        if (!_queue.IsEmpty)
        {
            Drain();
        }
    }

    /// <summary>Sends what was queued when the turn began (later messages get a turn of their own). Runs on the scheduler.</summary>
    private void Drain()
    {
        // A full fence, so that a message queued after the count below is taken finds _scheduled clear and schedules a turn.
        Interlocked.Exchange(ref _scheduled, 0);
        for (var count = _queue.Count; count > 0 && _queue.TryDequeue(out var item); count--)
        {
            if (_core.Registry.TryGet(item.Peer, out var session) && session.Path is { } path)
            {
                session.SendUnreliable(item.Message, path);
            }
            else
            {
                _core.Drop("send-to-unknown-peer");
            }
        }
    }
}
