namespace Holepunch.Reactive.Collections;

/// <summary>What happened to one item of a keyed cache (as DynamicData's <c>ChangeReason</c>).</summary>
public enum ChangeReason
{
    /// <summary>A new key was added.</summary>
    Add,
    /// <summary>An existing key got a new value.</summary>
    Update,
    /// <summary>A key was removed.</summary>
    Remove,
}
