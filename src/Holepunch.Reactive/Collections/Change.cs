namespace Holepunch.Reactive.Collections;

/// <summary>One item's change in a keyed cache (as DynamicData's <c>Change&lt;TObject, TKey&gt;</c>).</summary>
/// <typeparam name="TObject">The item type.</typeparam>
/// <typeparam name="TKey">The key type.</typeparam>
/// <param name="Reason">What happened.</param>
/// <param name="Key">The item's key.</param>
/// <param name="Current">The item now; for <see cref="ChangeReason.Remove"/>, the item that was removed.</param>
/// <param name="Previous">The item before an <see cref="ChangeReason.Update"/>; absent otherwise.</param>
public readonly record struct Change<TObject, TKey>(ChangeReason Reason, TKey Key, TObject Current, Optional<TObject> Previous)
    where TKey : notnull;
