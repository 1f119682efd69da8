using System.Reactive;

namespace Holepunch.Reactive.Testing;

/// <summary>An observable that plays scripted notifications and records its subscriptions.</summary>
/// <typeparam name="T">The element type.</typeparam>
public interface ITestableObservable<T> : IObservable<T>
{
    /// <summary>Every subscription so far, with when it started and ended.</summary>
    IList<Subscription> Subscriptions { get; }

    /// <summary>The scripted notifications.</summary>
    IList<Recorded<Notification<T>>> Messages { get; }
}
