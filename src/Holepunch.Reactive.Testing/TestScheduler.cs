using System.Reactive;
using System.Reactive.Concurrency;

namespace Holepunch.Reactive.Testing;

/// <summary>
/// A virtual-time scheduler in ticks, the stand-in for <c>Microsoft.Reactive.Testing.TestScheduler</c>
/// (whose only served version cannot be restored here), with the same semantics: work due now or in the past
/// runs at clock + 1, and <see cref="Start{T}(Func{IObservable{T}}, long, long, long)"/> uses the marks
/// created 100, subscribed 200, disposed 1000.
/// </summary>
public sealed class TestScheduler : VirtualTimeScheduler<long, long>
{
    /// <summary>The default virtual time at which <see cref="Start{T}(Func{IObservable{T}})"/> creates the sequence.</summary>
    public const long Created = 100;

    /// <summary>The default virtual time at which <see cref="Start{T}(Func{IObservable{T}})"/> subscribes.</summary>
    public const long Subscribed = 200;

    /// <summary>The default virtual time at which <see cref="Start{T}(Func{IObservable{T}})"/> disposes the subscription.</summary>
    public const long Disposed = 1000;

    /// <inheritdoc/>
    public override IDisposable ScheduleAbsolute<TState>(TState state, long dueTime, Func<IScheduler, TState, IDisposable> action)
    {
        if (dueTime <= Clock)
        {
            dueTime = Clock + 1;
        }

        return base.ScheduleAbsolute(state, dueTime, action);
    }

    /// <summary>Advances the clock by a span of virtual time, running all work due on the way.</summary>
    /// <param name="time">How far to advance.</param>
    public void AdvanceBy(TimeSpan time) => AdvanceBy(time.Ticks);

    /// <summary>Creates an observer that records every notification with the virtual time it arrived.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <returns>The recording observer.</returns>
    public ITestableObserver<T> CreateObserver<T>() => new MockObserver<T>(this);

    /// <summary>Creates a hot observable that emits <paramref name="messages"/> at their absolute times.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="messages">The notifications and when to emit them.</param>
    /// <returns>The hot observable, which records its subscriptions.</returns>
    public ITestableObservable<T> CreateHotObservable<T>(params Recorded<Notification<T>>[] messages) => new HotObservable<T>(this, messages);

    /// <summary>Creates a cold observable that emits <paramref name="messages"/> relative to each subscription.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="messages">The notifications and when, after subscribing, to emit them.</param>
    /// <returns>The cold observable, which records its subscriptions.</returns>
    public ITestableObservable<T> CreateColdObservable<T>(params Recorded<Notification<T>>[] messages) => new ColdObservable<T>(this, messages);

    /// <summary>
    /// Creates a sequence at <paramref name="created"/>, subscribes to it at <paramref name="subscribed"/>, disposes
    /// the subscription at <paramref name="disposed"/>, runs the clock to the end and returns what was observed.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="create">Creates the sequence under test.</param>
    /// <param name="created">When to call <paramref name="create"/>.</param>
    /// <param name="subscribed">When to subscribe.</param>
    /// <param name="disposed">When to dispose the subscription.</param>
    /// <returns>The observer that recorded the notifications.</returns>
    public ITestableObserver<T> Start<T>(Func<IObservable<T>> create, long created, long subscribed, long disposed)
    {
        ArgumentNullException.ThrowIfNull(create);
        var source = default(IObservable<T>);
        var subscription = default(IDisposable);
        var observer = CreateObserver<T>();
        ScheduleAbsolute(created, () => source = create());
        ScheduleAbsolute(subscribed, () => subscription = source!.Subscribe(observer));
        ScheduleAbsolute(disposed, () => subscription!.Dispose());
        Start();
        return observer;
    }

    /// <summary>Like <see cref="Start{T}(Func{IObservable{T}}, long, long, long)"/> with the marks 100, 200 and 1000.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="create">Creates the sequence under test.</param>
    /// <returns>The observer that recorded the notifications.</returns>
    public ITestableObserver<T> Start<T>(Func<IObservable<T>> create) => Start(create, Created, Subscribed, Disposed);

    /// <inheritdoc/>
    protected override long Add(long absolute, long relative) => absolute + relative;

    /// <inheritdoc/>
    protected override DateTimeOffset ToDateTimeOffset(long absolute) => new(absolute, TimeSpan.Zero);

    /// <inheritdoc/>
    protected override long ToRelative(TimeSpan timeSpan) => timeSpan.Ticks;

    private void ScheduleAbsolute(long dueTime, Action action) =>
        ScheduleAbsolute(action, dueTime, static (_, a) =>
        {
            a();
            return System.Reactive.Disposables.Disposable.Empty;
        });
}
