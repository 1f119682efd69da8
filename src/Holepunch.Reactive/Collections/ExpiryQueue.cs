using System.Reactive.Concurrency;
using System.Reactive.Disposables;

namespace Holepunch.Reactive.Collections;

/// <summary>
/// Exact per-key deadlines with one scheduler timer in all: a priority queue of (key, deadline) ordered by deadline
/// (ties in the order added), and one scheduled item for the earliest deadline. A key whose deadline moved is not
/// searched for: its old entry stays queued and is skipped when it comes up (lazy removal), because the owner's
/// <c>isCurrent</c> says that deadline is no longer the key's. Costs one queue slot (24 bytes) per entry instead of a
/// scheduled item, a timer record and a dictionary entry per key.
/// </summary>
/// <remarks>
/// <para>
/// The owner keeps the truth (each key's current deadline) and must <see cref="Add"/> every deadline it gives a key,
/// unless that key's previous deadline was the same one (its entry is queued already). When the timer fires, every
/// entry due by then (by the deadline the timer was set for, or by the scheduler's clock if later) is taken off, and
/// <c>expire</c> is called for each whose deadline <c>isCurrent</c> confirms, earliest first. Stale entries are also
/// swept out whenever the queue has doubled since the last sweep, so refreshes cannot grow it without bound.
/// </para>
/// <para>Not thread-safe: use it from one scheduler (the one given), or under the owner's lock.</para>
/// </remarks>
/// <typeparam name="TKey">The key type.</typeparam>
internal sealed class ExpiryQueue<TKey> : IDisposable
    where TKey : notnull
{
    private const int MinimumSweep = 64;

    private readonly PriorityQueue<TKey, Due> _queue = new(DueComparer.Instance);
    private readonly IScheduler _scheduler;
    private readonly Func<TKey, long, bool> _isCurrent;
    private readonly Action<TKey> _expire;
    private IDisposable? _timer;
    private long _armedFor = long.MaxValue;
    private long _sequence;
    private int _sweepAt = MinimumSweep;
    private bool _firing;
    private bool _disposed;

    /// <summary>An empty queue.</summary>
    /// <param name="scheduler">The clock and the timer.</param>
    /// <param name="isCurrent">Whether a deadline (in UTC ticks) is still the key's.</param>
    /// <param name="expire">Called when a key's current deadline has come: removes it.</param>
    public ExpiryQueue(IScheduler scheduler, Func<TKey, long, bool> isCurrent, Action<TKey> expire)
    {
        _scheduler = scheduler;
        _isCurrent = isCurrent;
        _expire = expire;
    }

    /// <summary>How many entries are queued, stale ones included (for tests and diagnostics).</summary>
    public int Count => _queue.Count;

    /// <summary>The deadline the timer is set for; <see langword="null"/> when none is (for tests and diagnostics).</summary>
    public DateTimeOffset? ArmedFor => _armedFor == long.MaxValue ? null : new DateTimeOffset(_armedFor, TimeSpan.Zero);

    /// <summary>Queues <paramref name="key"/>'s new deadline.</summary>
    /// <param name="key">The key.</param>
    /// <param name="deadline">When it expires unless its deadline changes before.</param>
    public void Add(TKey key, DateTimeOffset deadline)
    {
        if (_disposed)
        {
            return;
        }

        var ticks = deadline.UtcTicks;
        if (_queue.Count >= _sweepAt)
        {
            Sweep();
        }

        _queue.Enqueue(key, new Due(ticks, _sequence++));
        if (!_firing && ticks < _armedFor)
        {
            Arm(ticks);
        }
    }

    /// <summary>Cancels the timer and forgets every entry.</summary>
    public void Dispose()
    {
        _disposed = true;
        _timer?.Dispose();
        _timer = null;
        _armedFor = long.MaxValue;
        _queue.Clear();
    }

    private void Arm(long ticks)
    {
        _timer?.Dispose();
        _armedFor = ticks;
        // Relative to the clock, as a timer per item was: the same due time on a virtual clock, and on a real one.
        var due = new TimeSpan(Math.Max(0, ticks - _scheduler.Now.UtcTicks));
        _timer = _scheduler.Schedule((Owner: this, Ticks: ticks), due, static (_, state) =>
        {
            state.Owner.Fire(state.Ticks);
            return Disposable.Empty;
        });
    }

    private void Fire(long armedFor)
    {
        if (_disposed || armedFor != _armedFor)
        {
            return;
        }

        _timer = null;
        _armedFor = long.MaxValue;
        var limit = Math.Max(armedFor, _scheduler.Now.UtcTicks);
        var firstAdded = _sequence;
        _firing = true;
        try
        {
            // Bounded: each pass takes one entry off, and entries added meanwhile (by expire) wait for the next timer.
            while (!_disposed && _queue.TryPeek(out var key, out var due) && due.Ticks <= limit && due.Sequence < firstAdded)
            {
                _queue.Dequeue();
                if (_isCurrent(key, due.Ticks))
                {
                    _expire(key);
                }
            }
        }
        finally
        {
            _firing = false;
        }

        if (!_disposed && _queue.TryPeek(out _, out var next))
        {
            Arm(next.Ticks);
        }
    }

    /// <summary>Drops the stale entries; the next sweep waits until the queue has doubled again.</summary>
    private void Sweep()
    {
        var kept = new List<(TKey, Due)>(_queue.Count);
        foreach (var (key, due) in _queue.UnorderedItems)
        {
            if (_isCurrent(key, due.Ticks))
            {
                kept.Add((key, due));
            }
        }

        if (kept.Count < _queue.Count)
        {
            _queue.Clear();
            _queue.EnqueueRange(kept);
        }

        _sweepAt = Math.Max(MinimumSweep, 2 * _queue.Count);
    }

    /// <summary>A deadline in UTC ticks, and the order it was added in (ties expire in that order).</summary>
    private readonly record struct Due(long Ticks, long Sequence);

    private sealed class DueComparer : IComparer<Due>
    {
        public static readonly DueComparer Instance = new();

        public int Compare(Due x, Due y)
        {
            var byTicks = x.Ticks.CompareTo(y.Ticks);
            return byTicks != 0 ? byTicks : x.Sequence.CompareTo(y.Sequence);
        }
    }
}
