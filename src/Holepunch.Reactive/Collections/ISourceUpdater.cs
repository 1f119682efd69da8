namespace Holepunch.Reactive.Collections;

/// <summary>Edits a <see cref="SourceCache{TObject, TKey}"/> inside one batch (as DynamicData's <c>ISourceUpdater</c>).</summary>
/// <typeparam name="TObject">The item type.</typeparam>
/// <typeparam name="TKey">The key type.</typeparam>
public interface ISourceUpdater<TObject, TKey>
    where TKey : notnull
{
    /// <summary>Adds the item, or replaces the item with the same key.</summary>
    /// <param name="item">The item.</param>
    void AddOrUpdate(TObject item);

    /// <summary>Removes the item with <paramref name="key"/>, if present.</summary>
    /// <param name="key">The key.</param>
    void Remove(TKey key);

    /// <summary>Removes every item.</summary>
    void Clear();

    /// <summary>The item with <paramref name="key"/> as the batch sees it so far.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The item, or <see cref="Optional{T}.None"/>.</returns>
    Optional<TObject> Lookup(TKey key);
}
