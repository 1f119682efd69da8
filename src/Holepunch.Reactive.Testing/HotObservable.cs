using System.Reactive;
using System.Reactive.Disposables;

namespace Holepunch.Reactive.Testing;

internal sealed class HotObservable<T> : ITestableObservable<T>
{
    private readonly TestScheduler _scheduler;
    private readonly List<IObserver<T>> _observers = [];

    public HotObservable(TestScheduler scheduler, Recorded<Notification<T>>[] messages)
    {
        _scheduler = scheduler;
        Messages = messages;
        foreach (var message in messages)
        {
            scheduler.ScheduleAbsolute(message.Value, message.Time, (_, notification) =>
            {
                foreach (var observer in _observers.ToArray())
                {
                    notification.Accept(observer);
                }

                return Disposable.Empty;
            });
        }
    }

    public IList<Subscription> Subscriptions { get; } = [];

    public IList<Recorded<Notification<T>>> Messages { get; }

    public IDisposable Subscribe(IObserver<T> observer)
    {
        _observers.Add(observer);
        var index = Subscriptions.Count;
        Subscriptions.Add(new Subscription(_scheduler.Clock));
        return Disposable.Create(() =>
        {
            _observers.Remove(observer);
            Subscriptions[index] = Subscriptions[index] with { Unsubscribe = _scheduler.Clock };
        });
    }
}
