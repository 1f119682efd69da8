namespace Holepunch.Reactive.Collections;

/// <summary>A batch of changes applied to a keyed cache in one edit (as DynamicData's <c>IChangeSet&lt;TObject, TKey&gt;</c>).</summary>
/// <typeparam name="TObject">The item type.</typeparam>
/// <typeparam name="TKey">The key type.</typeparam>
public interface IChangeSet<TObject, TKey> : IReadOnlyList<Change<TObject, TKey>>
    where TKey : notnull
{
    /// <summary>How many changes are additions.</summary>
    int Adds { get; }

    /// <summary>How many changes are updates.</summary>
    int Updates { get; }

    /// <summary>How many changes are removals.</summary>
    int Removes { get; }
}
