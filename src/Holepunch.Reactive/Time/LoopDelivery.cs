using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;

namespace Holepunch.Reactive.Time;

/// <summary>
/// Delivery of a stream's notifications as items of a serial scheduler of our own (<see cref="InlineEventLoop"/>),
/// instead of <c>ObserveOn</c>: the loop already queues and serialises, so each notification is one scheduled item,
/// and on an idle loop nothing is allocated for it (<c>ObserveOn</c> allocates a disposable for every drain it
/// schedules, which for a datagram stream on an idle loop is every datagram).
/// </summary>
internal static class LoopDelivery
{
    /// <summary>
    /// Subscribes to <paramref name="source"/> with every handler run on <paramref name="scheduler"/>: as items of it when
    /// it is our own loop (<paramref name="isOwnLoop"/>), through <c>ObserveOn</c> when it is a scheduler we were given.
    /// </summary>
    public static IDisposable DeliverOn<T>(
        this IObservable<T> source, IScheduler scheduler, bool isOwnLoop, Action<T> onNext, Action<Exception> onError, Action onCompleted) =>
        isOwnLoop
            ? source.SubscribeOnLoop(scheduler, onNext, onError, onCompleted)
            : source.ObserveOn(scheduler).Subscribe(onNext, onError, onCompleted);

    /// <summary>Subscribes to <paramref name="source"/>, running every handler as an item of <paramref name="loop"/>, in order.</summary>
    public static IDisposable SubscribeOnLoop<T>(
        this IObservable<T> source, IScheduler loop, Action<T> onNext, Action<Exception> onError, Action onCompleted) =>
        source.Subscribe(
            value => loop.Schedule((Handler: onNext, Value: value), static (_, s) =>
            {
                s.Handler(s.Value);
                return Disposable.Empty;
            }),
            error => loop.Schedule((Handler: onError, Error: error), static (_, s) =>
            {
                s.Handler(s.Error);
                return Disposable.Empty;
            }),
            () => loop.Schedule(onCompleted));
}
