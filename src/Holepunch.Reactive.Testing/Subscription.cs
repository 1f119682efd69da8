namespace Holepunch.Reactive.Testing;

/// <summary>When a subscription to a test observable started and ended (as in Microsoft.Reactive.Testing).</summary>
/// <param name="Subscribe">The virtual time of the subscription.</param>
/// <param name="Unsubscribe">The virtual time of its disposal; <see cref="Infinite"/> while it lives.</param>
public readonly record struct Subscription(long Subscribe, long Unsubscribe = Subscription.Infinite)
{
    /// <summary>The unsubscribe time of a subscription that was never disposed.</summary>
    public const long Infinite = long.MaxValue;

    /// <inheritdoc/>
    public override string ToString() => Unsubscribe == Infinite ? $"({Subscribe}, Infinite)" : $"({Subscribe}, {Unsubscribe})";
}
