using System.Reactive.Concurrency;
using System.Reactive.Disposables;

namespace Holepunch.Reactive.Collections;

/// <summary>
/// One subscription of <see cref="SourceCacheExpiry.ExpireAfter{TObject, TKey}"/>: a timer per item, started on add and
/// update, cancelled on removal. The timer's own record is the scheduled state (a static callback, no closure, no
/// delegate per item), which also identifies it when it fires: an item counts as expired only while its timer is still
/// the key's (comparing items instead fails for value types and for equal records).
/// </summary>
internal sealed class ExpirySubscription<TObject, TKey> : IDisposable
    where TKey : notnull
{
    private readonly SourceCache<TObject, TKey> _source;
    private readonly Func<TObject, TimeSpan?> _timeSelector;
    private readonly IScheduler _scheduler;
    private readonly IObserver<IReadOnlyList<KeyValuePair<TKey, TObject>>> _observer;
    private readonly Dictionary<TKey, Timer> _timers;
    private readonly object _gate = new();
    private readonly SingleAssignmentDisposable _subscription = new();

    public ExpirySubscription(
        SourceCache<TObject, TKey> source,
        Func<TObject, TimeSpan?> timeSelector,
        IScheduler scheduler,
        IObserver<IReadOnlyList<KeyValuePair<TKey, TObject>>> observer)
    {
        _source = source;
        _timeSelector = timeSelector;
        _scheduler = scheduler;
        _observer = observer;
        _timers = new Dictionary<TKey, Timer>(source.KeyComparer);
    }

    public IDisposable Start()
    {
        _subscription.Disposable = _source.Connect().Subscribe(OnChanges, _observer.OnError, _observer.OnCompleted);
        return this;
    }

    public void Dispose()
    {
        _subscription.Dispose();
        lock (_gate)
        {
            foreach (var timer in _timers.Values)
            {
                timer.Handle?.Dispose();
            }

            _timers.Clear();
        }
    }

    private void OnChanges(IChangeSet<TObject, TKey> changes)
    {
        lock (_gate)
        {
            foreach (var change in changes)
            {
                if (_timers.Remove(change.Key, out var previous))
                {
                    previous.Handle?.Dispose();
                }

                if (change.Reason == ChangeReason.Remove || _timeSelector(change.Current) is not { } lifetime)
                {
                    continue;
                }

                var timer = new Timer(this, change.Key);
                _timers[change.Key] = timer;
                timer.Handle = _scheduler.Schedule(timer, lifetime, static (_, t) =>
                {
                    t.Owner.Expire(t);
                    return Disposable.Empty;
                });
            }
        }
    }

    private void Expire(Timer timer)
    {
        var expired = Optional<TObject>.None;
        _source.Edit(u =>
        {
            // Lock order as on delivery: the cache's gate (held by Edit), then this one.
            lock (_gate)
            {
                if (_timers.TryGetValue(timer.Key, out var current) && ReferenceEquals(current, timer))
                {
                    expired = u.Lookup(timer.Key);
                    u.Remove(timer.Key);
                }
            }
        });
        if (expired.HasValue)
        {
            _observer.OnNext([new KeyValuePair<TKey, TObject>(timer.Key, expired.Value)]);
        }
    }

    /// <summary>One item's pending expiry.</summary>
    private sealed class Timer(ExpirySubscription<TObject, TKey> owner, TKey key)
    {
        public ExpirySubscription<TObject, TKey> Owner { get; } = owner;

        public TKey Key { get; } = key;

        public IDisposable? Handle { get; set; }
    }
}
