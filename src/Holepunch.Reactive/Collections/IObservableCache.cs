namespace Holepunch.Reactive.Collections;

/// <summary>
/// A read-only keyed collection whose changes are observable: the shape of DynamicData's
/// <c>IObservableCache&lt;TObject, TKey&gt;</c>, which this project cannot reference (the registry does not serve it).
/// </summary>
/// <typeparam name="TObject">The item type.</typeparam>
/// <typeparam name="TKey">The key type.</typeparam>
public interface IObservableCache<TObject, TKey> : IDisposable
    where TKey : notnull
{
    /// <summary>How many items the cache holds.</summary>
    int Count { get; }

    /// <summary>A snapshot of the items.</summary>
    IReadOnlyList<TObject> Items { get; }

    /// <summary>A snapshot of the keys.</summary>
    IReadOnlyList<TKey> Keys { get; }

    /// <summary>The item with <paramref name="key"/>, if present.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The item, or <see cref="Optional{T}.None"/>.</returns>
    Optional<TObject> Lookup(TKey key);

    /// <summary>
    /// The current items as one change set of additions (when there are any), then every later change set.
    /// Completes when the cache is disposed.
    /// </summary>
    /// <param name="predicate">Only items that match; <see langword="null"/> for all.</param>
    /// <returns>The change sets.</returns>
    IObservable<IChangeSet<TObject, TKey>> Connect(Func<TObject, bool>? predicate = null);

    /// <summary>The changes of one key, starting with an addition when the key is present.</summary>
    /// <param name="key">The key to watch.</param>
    /// <returns>The key's changes.</returns>
    IObservable<Change<TObject, TKey>> Watch(TKey key);
}
