using System.Reactive;

namespace Holepunch.Reactive.Testing;

internal sealed class MockObserver<T>(TestScheduler scheduler) : ITestableObserver<T>
{
    public IList<Recorded<Notification<T>>> Messages { get; } = [];

    public void OnNext(T value) => Messages.Add(new(scheduler.Clock, Notification.CreateOnNext(value)));

    public void OnError(Exception error) => Messages.Add(new(scheduler.Clock, Notification.CreateOnError<T>(error)));

    public void OnCompleted() => Messages.Add(new(scheduler.Clock, Notification.CreateOnCompleted<T>()));
}
