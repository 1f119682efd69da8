using System.Reactive.Disposables;
using System.Reactive.Linq;

namespace Holepunch.Reactive.Collections;

/// <summary>
/// A keyed collection that publishes its changes: a small stand-in for DynamicData's
/// <c>SourceCache&lt;TObject, TKey&gt;</c> (not served by this project's registry) with the same shape —
/// <see cref="Edit"/> batches changes into one change set, <see cref="Connect"/> emits the current state first
/// and then every change, <see cref="Watch"/> follows one key, and
/// <see cref="SourceCacheExpiry.ExpireAfter{TObject, TKey}"/> removes items when their time is up.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>Event</term><description>What subscribers of <see cref="Connect"/> see</description></listheader>
/// <item><term>Add / Update / Remove</term><description>One change set for each <see cref="Edit"/> that changed something, in edit order.</description></item>
/// <item><term>OnError</term><description>Never.</description></item>
/// <item><term>OnCompleted</term><description>When the cache is disposed.</description></item>
/// </list>
/// The cache has one gate: an edit and its notification happen under it, and an edit made by a subscriber
/// while a change set is being delivered is delivered after it, so every subscriber sees one order.
/// </remarks>
/// <typeparam name="TObject">The item type.</typeparam>
/// <typeparam name="TKey">The key type.</typeparam>
public sealed class SourceCache<TObject, TKey> : IObservableCache<TObject, TKey>
    where TKey : notnull
{
    private readonly object _gate = new();
    private readonly Dictionary<TKey, TObject> _items;
    private readonly List<Subscriber> _subscribers = [];
    private readonly Queue<(long Sequence, ChangeSet<TObject, TKey> Changes)> _undelivered = new();
    private readonly Func<TObject, TKey> _keySelector;
    private long _published;
    private bool _delivering;
    private bool _disposed;

    /// <summary>Creates an empty cache.</summary>
    /// <param name="keySelector">Gives each item's key.</param>
    /// <param name="comparer">Compares keys; the default comparer when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="keySelector"/> is <see langword="null"/>.</exception>
    public SourceCache(Func<TObject, TKey> keySelector, IEqualityComparer<TKey>? comparer = null)
    {
        ArgumentNullException.ThrowIfNull(keySelector);
        _keySelector = keySelector;
        _items = new Dictionary<TKey, TObject>(comparer);
    }

    /// <summary>Gives each item's key.</summary>
    public Func<TObject, TKey> KeySelector => _keySelector;

    /// <summary>Compares keys, as the cache does.</summary>
    internal IEqualityComparer<TKey> KeyComparer => _items.Comparer;

    /// <inheritdoc/>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _items.Count;
            }
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<TObject> Items
    {
        get
        {
            lock (_gate)
            {
                return [.. _items.Values];
            }
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<TKey> Keys
    {
        get
        {
            lock (_gate)
            {
                return [.. _items.Keys];
            }
        }
    }

    /// <inheritdoc/>
    public Optional<TObject> Lookup(TKey key)
    {
        lock (_gate)
        {
            return _items.TryGetValue(key, out var item) ? Optional<TObject>.Some(item) : Optional<TObject>.None;
        }
    }

    /// <summary>Applies a batch of changes and publishes them as one change set (none when nothing changed).</summary>
    /// <param name="update">The edits.</param>
    /// <exception cref="ArgumentNullException"><paramref name="update"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException">The cache is disposed.</exception>
    public void Edit(Action<ISourceUpdater<TObject, TKey>> update)
    {
        ArgumentNullException.ThrowIfNull(update);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var updater = new Updater(this);
            try
            {
                update(updater);
            }
            finally
            {
                // Even when the edit throws halfway: what it already changed is in the cache, so subscribers hear of it.
                if (updater.Changes.Count > 0)
                {
                    Publish(new ChangeSet<TObject, TKey>(updater.Changes));
                }
            }
        }
    }

    /// <summary>Adds the item, or replaces the item with the same key.</summary>
    /// <param name="item">The item.</param>
    /// <exception cref="ObjectDisposedException">The cache is disposed.</exception>
    /// <remarks>As an <see cref="Edit"/> of one change, without the edit's closure and batch.</remarks>
    public void AddOrUpdate(TObject item)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var key = _keySelector(item);
            if (_items.TryGetValue(key, out var previous))
            {
                _items[key] = item;
                PublishOne(new(ChangeReason.Update, key, item, Optional<TObject>.Some(previous)));
            }
            else
            {
                _items.Add(key, item);
                PublishOne(new(ChangeReason.Add, key, item, Optional<TObject>.None));
            }
        }
    }

    /// <summary>Removes the item with <paramref name="key"/>, if present.</summary>
    /// <param name="key">The key.</param>
    /// <exception cref="ObjectDisposedException">The cache is disposed.</exception>
    /// <remarks>As an <see cref="Edit"/> of one change, without the edit's closure and batch.</remarks>
    public void Remove(TKey key)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_items.Remove(key, out var removed))
            {
                PublishOne(new(ChangeReason.Remove, key, removed, Optional<TObject>.None));
            }
        }
    }

    /// <summary>Removes every item.</summary>
    public void Clear() => Edit(static u => u.Clear());

    /// <inheritdoc/>
    public IObservable<IChangeSet<TObject, TKey>> Connect(Func<TObject, bool>? predicate = null) =>
        Observable.Create<IChangeSet<TObject, TKey>>(observer =>
        {
            lock (_gate)
            {
                if (_disposed)
                {
                    observer.OnCompleted();
                    return Disposable.Empty;
                }

                // The snapshot includes change sets still queued for delivery: the subscriber must skip those.
                var subscriber = new Subscriber(observer, predicate, _published);
                var initial = new List<Change<TObject, TKey>>(_items.Count);
                foreach (var (key, item) in _items)
                {
                    if (predicate is null || predicate(item))
                    {
                        initial.Add(new(ChangeReason.Add, key, item, Optional<TObject>.None));
                    }
                }

                if (initial.Count > 0)
                {
                    observer.OnNext(new ChangeSet<TObject, TKey>(initial));
                }

                _subscribers.Add(subscriber);
                return Disposable.Create(() =>
                {
                    lock (_gate)
                    {
                        subscriber.Active = false;
                        _subscribers.Remove(subscriber);
                    }
                });
            }
        });

    /// <inheritdoc/>
    public IObservable<Change<TObject, TKey>> Watch(TKey key)
    {
        var comparer = KeyComparer;
        return Connect().SelectMany(changes => changes.Where(c => comparer.Equals(c.Key, key)));
    }

    /// <summary>Completes every <see cref="Connect"/> stream and refuses further edits.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            var subscribers = _subscribers.ToArray();
            _subscribers.Clear();
            foreach (var subscriber in subscribers)
            {
                subscriber.Observer.OnCompleted();
            }
        }
    }

    /// <summary>Publishes one change; with no subscriber and nothing being delivered, no change set is made at all.</summary>
    private void PublishOne(Change<TObject, TKey> change)
    {
        if (_subscribers.Count == 0 && !_delivering)
        {
            // Nobody to tell, and nothing queued that this change must follow: only the sequence moves, as a publish would.
            _published++;
            return;
        }

        Publish(new ChangeSet<TObject, TKey>([change]));
    }

    private void Publish(ChangeSet<TObject, TKey> changes)
    {
        _undelivered.Enqueue((++_published, changes));
        if (_delivering)
        {
            // A subscriber edited while a change set was being delivered: the outer loop delivers this one next.
            return;
        }

        _delivering = true;
        try
        {
            while (_undelivered.TryDequeue(out var next))
            {
                foreach (var subscriber in _subscribers.ToArray())
                {
                    subscriber.Deliver(next.Sequence, next.Changes);
                }
            }
        }
        finally
        {
            _delivering = false;
        }
    }

    private sealed class Subscriber(IObserver<IChangeSet<TObject, TKey>> observer, Func<TObject, bool>? predicate, long seenUpTo)
    {
        public IObserver<IChangeSet<TObject, TKey>> Observer { get; } = observer;

        public bool Active { get; set; } = true;

        public void Deliver(long sequence, ChangeSet<TObject, TKey> changes)
        {
            if (!Active || sequence <= seenUpTo)
            {
                return;
            }

            if (predicate is null)
            {
                Observer.OnNext(changes);
                return;
            }

            var filtered = Filter(changes, predicate);
            if (filtered.Count > 0)
            {
                Observer.OnNext(new ChangeSet<TObject, TKey>(filtered));
            }
        }

        /// <summary>A filtered view: an update that enters the filter is an add to it, one that leaves is a remove.</summary>
        private static List<Change<TObject, TKey>> Filter(ChangeSet<TObject, TKey> changes, Func<TObject, bool> predicate)
        {
            var filtered = new List<Change<TObject, TKey>>();
            foreach (var change in changes)
            {
                var now = predicate(change.Current);
                var before = change.Previous.HasValue && predicate(change.Previous.Value);
                var reason = change.Reason switch
                {
                    ChangeReason.Update when now && before => ChangeReason.Update,
                    ChangeReason.Update when now => ChangeReason.Add,
                    ChangeReason.Update when before => ChangeReason.Remove,
                    ChangeReason.Update => (ChangeReason?)null,
                    _ => now ? change.Reason : null,
                };
                if (reason is { } r)
                {
                    filtered.Add(r switch
                    {
                        ChangeReason.Remove when change.Reason == ChangeReason.Update => new(r, change.Key, change.Previous.Value, Optional<TObject>.None),
                        ChangeReason.Add => new(r, change.Key, change.Current, Optional<TObject>.None),
                        _ => change,
                    });
                }
            }

            return filtered;
        }
    }

    private sealed class Updater(SourceCache<TObject, TKey> cache) : ISourceUpdater<TObject, TKey>
    {
        public List<Change<TObject, TKey>> Changes { get; } = [];

        public void AddOrUpdate(TObject item)
        {
            var key = cache._keySelector(item);
            if (cache._items.TryGetValue(key, out var previous))
            {
                cache._items[key] = item;
                Changes.Add(new(ChangeReason.Update, key, item, Optional<TObject>.Some(previous)));
            }
            else
            {
                cache._items.Add(key, item);
                Changes.Add(new(ChangeReason.Add, key, item, Optional<TObject>.None));
            }
        }

        public void Remove(TKey key)
        {
            if (cache._items.Remove(key, out var removed))
            {
                Changes.Add(new(ChangeReason.Remove, key, removed, Optional<TObject>.None));
            }
        }

        public void Clear()
        {
            foreach (var (key, item) in cache._items)
            {
                Changes.Add(new(ChangeReason.Remove, key, item, Optional<TObject>.None));
            }

            cache._items.Clear();
        }

        public Optional<TObject> Lookup(TKey key) =>
            cache._items.TryGetValue(key, out var item) ? Optional<TObject>.Some(item) : Optional<TObject>.None;
    }
}
