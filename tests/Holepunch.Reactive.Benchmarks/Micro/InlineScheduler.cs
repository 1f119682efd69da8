using System.Reactive.Concurrency;
using System.Reactive.Disposables;

namespace Holepunch.Reactive.Benchmarks.Micro;

/// <summary>Runs work due now at once, on the caller's thread; timed work never runs. A frozen clock.</summary>
internal sealed class InlineScheduler : IScheduler
{
    public DateTimeOffset Now { get; } = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public IDisposable Schedule<TState>(TState state, Func<IScheduler, TState, IDisposable> action) => action(this, state);

    public IDisposable Schedule<TState>(TState state, TimeSpan dueTime, Func<IScheduler, TState, IDisposable> action) =>
        dueTime <= TimeSpan.Zero ? action(this, state) : Disposable.Empty;

    public IDisposable Schedule<TState>(TState state, DateTimeOffset dueTime, Func<IScheduler, TState, IDisposable> action) =>
        Schedule(state, dueTime - Now, action);
}
