using System.Reactive;
using System.Reactive.Disposables;

namespace Holepunch.Reactive.Testing;

internal sealed class ColdObservable<T>(TestScheduler scheduler, Recorded<Notification<T>>[] messages) : ITestableObservable<T>
{
    public IList<Subscription> Subscriptions { get; } = [];

    public IList<Recorded<Notification<T>>> Messages { get; } = messages;

    public IDisposable Subscribe(IObserver<T> observer)
    {
        var index = Subscriptions.Count;
        Subscriptions.Add(new Subscription(scheduler.Clock));
        var scheduled = new CompositeDisposable();
        foreach (var message in Messages)
        {
            scheduled.Add(scheduler.ScheduleRelative((observer, message.Value), message.Time, static (_, s) =>
            {
                s.Value.Accept(s.observer);
                return Disposable.Empty;
            }));
        }

        return Disposable.Create(() =>
        {
            scheduled.Dispose();
            Subscriptions[index] = Subscriptions[index] with { Unsubscribe = scheduler.Clock };
        });
    }
}
