using System.Reactive.Concurrency;

namespace Holepunch.Reactive.Time;

/// <summary>
/// Runs every action of an inner scheduler with no <see cref="SynchronizationContext"/>, so that task
/// continuations completed by that action (Polly's retry loop awaiting an Rx timeout) run inline, on the
/// scheduler, instead of being posted to whatever context the driving thread has (a test framework's, a UI's,
/// a game engine's main thread). Without it a virtual clock advanced from such a thread loses every attempt
/// after the first to the thread pool.
/// </summary>
internal sealed class ContextFreeScheduler : IScheduler
{
    private readonly IScheduler _inner;

    private ContextFreeScheduler(IScheduler inner) => _inner = inner;

    public DateTimeOffset Now => _inner.Now;

    /// <summary>Wraps <paramref name="scheduler"/> (once: a wrapped scheduler is returned as is).</summary>
    public static IScheduler Wrap(IScheduler scheduler) =>
        scheduler as ContextFreeScheduler ?? new ContextFreeScheduler(scheduler);

    public IDisposable Schedule<TState>(TState state, Func<IScheduler, TState, IDisposable> action) =>
        _inner.Schedule((Outer: this, State: state, Action: action), static (_, s) => s.Outer.Run(s.State, s.Action));

    public IDisposable Schedule<TState>(TState state, TimeSpan dueTime, Func<IScheduler, TState, IDisposable> action) =>
        _inner.Schedule((Outer: this, State: state, Action: action), dueTime, static (_, s) => s.Outer.Run(s.State, s.Action));

    public IDisposable Schedule<TState>(TState state, DateTimeOffset dueTime, Func<IScheduler, TState, IDisposable> action) =>
        _inner.Schedule((Outer: this, State: state, Action: action), dueTime, static (_, s) => s.Outer.Run(s.State, s.Action));

    private IDisposable Run<TState>(TState state, Func<IScheduler, TState, IDisposable> action)
    {
        var context = SynchronizationContext.Current;
        if (context is null)
        {
            return action(this, state);
        }

        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            return action(this, state);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }
}
