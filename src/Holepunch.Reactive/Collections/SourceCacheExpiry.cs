using System.Reactive.Concurrency;
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

        return Observable.Create<IReadOnlyList<KeyValuePair<TKey, TObject>>>(
            observer => new ExpirySubscription<TObject, TKey>(source, timeSelector, scheduler, observer).Start());
    }
}
