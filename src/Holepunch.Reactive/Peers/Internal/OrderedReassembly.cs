using System.Reactive.Concurrency;

namespace Holepunch.Reactive.Peers.Internal;

/// <summary>
/// Puts one sender's reliable messages back in send order. A message that never comes (its sender gave up on
/// it) holds the later ones back for at most the gap timeout; then delivery moves past the gap.
/// </summary>
internal sealed class OrderedReassembly<T>(IScheduler scheduler, TimeSpan gapTimeout, Action<T> deliver) : IDisposable
{
    private readonly SortedDictionary<long, T> _held = [];
    private long _next;
    private IDisposable? _gapTimer;

    public int HeldCount => _held.Count;

    /// <summary>Takes a first-time message (already de-duplicated) and delivers what is now in order.</summary>
    public void Accept(long id, T item)
    {
        if (id < _next)
        {
            // Late, after the gap it left was skipped: deliver now rather than never.
            deliver(item);
            return;
        }

        if (id > _next)
        {
            _held[id] = item;
            _gapTimer ??= scheduler.Schedule(gapTimeout, SkipGap);
            return;
        }

        deliver(item);
        _next++;
        DrainInOrder();
    }

    public void Dispose()
    {
        _gapTimer?.Dispose();
        _gapTimer = null;
        _held.Clear();
    }

    private void DrainInOrder()
    {
        while (_held.Remove(_next, out var item))
        {
            deliver(item);
            _next++;
        }

        _gapTimer?.Dispose();
        _gapTimer = _held.Count > 0 ? scheduler.Schedule(gapTimeout, SkipGap) : null;
    }

    private void SkipGap()
    {
        _gapTimer = null;
        if (_held.Count == 0)
        {
            return;
        }

        using var first = _held.Keys.GetEnumerator();
        first.MoveNext();
        _next = first.Current;
        DrainInOrder();
    }
}
