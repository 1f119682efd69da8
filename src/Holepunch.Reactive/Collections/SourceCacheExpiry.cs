using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;

namespace Holepunch.Reactive.Collections;

/// <summary>Time-based removal from a <see cref="SourceCache{TObject, TKey}"/> (as DynamicData's <c>ExpireAfter</c>).</summary>
public static class SourceCacheExpiry
{
    /// <summary>
    /// While subscribed, removes each item from <paramref name="source"/> when the time that
    /// <paramref name="timeSelector"/> gives it has passed since it was added or last updated, and emits the
    /// removed items. An update restarts the item's time; a removal cancels it.
    /// </summary>
    /// <remarks>
    /// <list type="table">
    /// <listheader><term>Source event</term><description>Effect</description></listheader>
    /// <item><term>Add / Update</term><description>(Re)starts the item's timer; <see langword="null"/> from the selector means never.</description></item>
    /// <item><term>Remove</term><description>Cancels the item's timer.</description></item>
    /// <item><term>OnCompleted</term><description>Cancels every timer and completes.</description></item>
    /// </list>
    /// </remarks>
    /// <typeparam name="TObject">The item type.</typeparam>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <param name="source">The cache to remove from.</param>
    /// <param name="timeSelector">How long each item lives without an update; <see langword="null"/> for ever.</param>
    /// <param name="scheduler">The clock and the timers.</param>
    /// <returns>The batches of expired items, keyed.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IObservable<IReadOnlyList<KeyValuePair<TKey, TObject>>> ExpireAfter<TObject, TKey>(
        this SourceCache<TObject, TKey> source, Func<TObject, TimeSpan?> timeSelector, IScheduler scheduler)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(timeSelector);
        ArgumentNullException.ThrowIfNull(scheduler);

        return Observable.Create<IReadOnlyList<KeyValuePair<TKey, TObject>>>(observer =>
        {
            // The pending timer of each key. A timer identifies itself when it fires, so an item counts as expired only
            // while its timer is still the key's: comparing items instead fails for value types and for equal records.
            var timers = new Dictionary<TKey, SingleAssignmentDisposable>(source.KeyComparer);
            var gate = new object();
            var subscription = new SingleAssignmentDisposable();

            void Expire(TKey key, SingleAssignmentDisposable timer)
            {
                var expired = Optional<TObject>.None;
                source.Edit(u =>
                {
                    // Lock order as on delivery: the cache's gate (held by Edit), then this one.
                    lock (gate)
                    {
                        if (timers.TryGetValue(key, out var current) && ReferenceEquals(current, timer))
                        {
                            expired = u.Lookup(key);
                            u.Remove(key);
                        }
                    }
                });
                if (expired.HasValue)
                {
                    observer.OnNext([new KeyValuePair<TKey, TObject>(key, expired.Value)]);
                }
            }

            subscription.Disposable = source.Connect().Subscribe(
                changes =>
                {
                    lock (gate)
                    {
                        foreach (var change in changes)
                        {
                            if (timers.Remove(change.Key, out var timer))
                            {
                                timer.Dispose();
                            }

                            if (change.Reason == ChangeReason.Remove || timeSelector(change.Current) is not { } lifetime)
                            {
                                continue;
                            }

                            var key = change.Key;
                            var next = new SingleAssignmentDisposable();
                            timers[key] = next;
                            next.Disposable = scheduler.Schedule(lifetime, () => Expire(key, next));
                        }
                    }
                },
                observer.OnError,
                observer.OnCompleted);

            return Disposable.Create(() =>
            {
                subscription.Dispose();
                lock (gate)
                {
                    foreach (var timer in timers.Values)
                    {
                        timer.Dispose();
                    }

                    timers.Clear();
                }
            });
        });
    }
}
