using System.Reactive;

namespace Holepunch.Reactive.Testing;

/// <summary>Factory helpers for recorded notifications and subscriptions (as in Microsoft.Reactive.Testing).</summary>
public static class ReactiveTest
{
    /// <summary>The default creation time used by <see cref="TestScheduler.Start{T}(Func{IObservable{T}})"/>.</summary>
    public const long Created = TestScheduler.Created;

    /// <summary>The default subscription time.</summary>
    public const long Subscribed = TestScheduler.Subscribed;

    /// <summary>The default disposal time.</summary>
    public const long Disposed = TestScheduler.Disposed;

    /// <summary>An <c>OnNext</c> at <paramref name="ticks"/>.</summary>
    public static Recorded<Notification<T>> OnNext<T>(long ticks, T value) => new(ticks, Notification.CreateOnNext(value));

    /// <summary>An <c>OnCompleted</c> at <paramref name="ticks"/>.</summary>
    public static Recorded<Notification<T>> OnCompleted<T>(long ticks) => new(ticks, Notification.CreateOnCompleted<T>());

    /// <summary>An <c>OnError</c> at <paramref name="ticks"/>.</summary>
    public static Recorded<Notification<T>> OnError<T>(long ticks, Exception error) => new(ticks, Notification.CreateOnError<T>(error));

    /// <summary>A subscription from <paramref name="subscribe"/> to <paramref name="unsubscribe"/>.</summary>
    public static Subscription Subscribe(long subscribe, long unsubscribe) => new(subscribe, unsubscribe);

    /// <summary>A subscription from <paramref name="subscribe"/> that was never disposed.</summary>
    public static Subscription Subscribe(long subscribe) => new(subscribe);
}
