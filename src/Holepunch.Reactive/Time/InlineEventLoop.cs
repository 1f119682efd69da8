using System.Collections.Concurrent;
using System.Reactive.Concurrency;
using System.Reactive.Disposables;

namespace Holepunch.Reactive.Time;

/// <summary>
/// The event loop a client or server makes for itself: a serial scheduler that runs one work item at a time, in the
/// order scheduled, on the thread that scheduled it when the loop is idle — the receive thread for a datagram, the
/// caller for a send — and otherwise on whichever thread is running the loop at that moment. There is no loop thread
/// to hand work to and wake: a datagram is handled, and its reply sent, on the thread that received it.
/// </summary>
/// <remarks>
/// <para>
/// Mutual exclusion is one compare-and-swap on the owning thread's id; no thread ever waits for another to finish.
/// A thread that finds the loop busy queues its item and returns; the owner runs it before letting go. A thread
/// that is not the loop's owner runs at most <see cref="CallerBudget"/> items before it hands the rest to the
/// thread pool, so no caller (and no receive thread) is held up by a long backlog.
/// </para>
/// <para>
/// An item that throws does not stop the loop and does not throw into whichever thread happened to run it (that may be
/// another caller's, or a receive thread): the exception goes to the handler given at construction, and the next item
/// runs. Timed items wait on a timer of the loop's <see cref="TimeProvider"/> and are then scheduled like any other.
/// As with Rx's <see cref="EventLoopScheduler"/>, scheduling after <see cref="Dispose"/> throws
/// <see cref="ObjectDisposedException"/>, and work still queued then is dropped.
/// </para>
/// </remarks>
internal sealed class InlineEventLoop : IScheduler, ISchedulerPeriodic, IServiceProvider, IDisposable
{
    /// <summary>How many items a thread runs for others before it hands the loop to the thread pool.</summary>
    internal const int CallerBudget = 256;

    private readonly ConcurrentQueue<WorkItem> _queue = new();
    private readonly TimeProvider _time;
    private readonly Action<Exception> _onError;
    private int _owner;
    private int _handedOff;
    private volatile bool _disposed;

    /// <summary>Creates an idle loop.</summary>
    /// <param name="onError">Gets the exception of an item that threw (the loop goes on); called on the loop.</param>
    /// <param name="time">The clock of timed items; the system clock by default.</param>
    public InlineEventLoop(Action<Exception> onError, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(onError);
        _onError = onError;
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    public DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>Whether the calling thread is running the loop right now (inside one of its work items).</summary>
    public bool IsOnLoop => Volatile.Read(ref _owner) == Environment.CurrentManagedThreadId;

    /// <summary>Whether <see cref="Dispose"/> was called.</summary>
    public bool IsDisposed => _disposed;

    /// <inheritdoc/>
    /// <exception cref="ObjectDisposedException">The loop is disposed.</exception>
    public IDisposable Schedule<TState>(TState state, Func<IScheduler, TState, IDisposable> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var me = Environment.CurrentManagedThreadId;
        if (_queue.IsEmpty && Interlocked.CompareExchange(ref _owner, me, 0) == 0)
        {
            // Idle and nothing waiting: run it right here, without a work item.
            IDisposable result;
            try
            {
                result = action(this, state);
            }
#pragma warning disable CA1031 // An item's failure goes to the loop's handler, never into the thread that ran it.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Report(e);
                result = Disposable.Empty;
            }

            Drain(me, CallerBudget);
            return result;
        }

        var item = new WorkItem<TState>(state, action);
        Enqueue(item, me);
        return item;
    }

    /// <inheritdoc/>
    /// <exception cref="ObjectDisposedException">The loop is disposed.</exception>
    public IDisposable Schedule<TState>(TState state, TimeSpan dueTime, Func<IScheduler, TState, IDisposable> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var due = Scheduler.Normalize(dueTime);
        if (due == TimeSpan.Zero)
        {
            return Schedule(state, action);
        }

        ObjectDisposedException.ThrowIf(_disposed, this);
        var item = new WorkItem<TState>(state, action);
        item.StartTimer(this, due);
        return item;
    }

    /// <inheritdoc/>
    /// <exception cref="ObjectDisposedException">The loop is disposed.</exception>
    public IDisposable Schedule<TState>(TState state, DateTimeOffset dueTime, Func<IScheduler, TState, IDisposable> action) =>
        Schedule(state, dueTime - Now, action);

    /// <summary>
    /// Runs <paramref name="action"/> every <paramref name="period"/> as an item of the loop, on a periodic timer (the
    /// ticks keep to the period however long the items wait; a tick that comes while the previous one is still queued is
    /// skipped rather than queued twice).
    /// </summary>
    /// <exception cref="ObjectDisposedException">The loop is disposed.</exception>
    public IDisposable SchedulePeriodic<TState>(TState state, TimeSpan period, Func<TState, TState> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new PeriodicItem<TState>(this, state, action, period);
    }

    /// <summary>Rx asks through this whether the loop schedules periodic work itself (it does).</summary>
    public object? GetService(Type serviceType) => serviceType == typeof(ISchedulerPeriodic) ? this : null;

    /// <summary>Stops the loop: queued work is dropped and new work refused; an item running now finishes.</summary>
    public void Dispose() => _disposed = true;

    private void Enqueue(WorkItem item, int me)
    {
        _queue.Enqueue(item);
        if (Volatile.Read(ref _owner) != me && Interlocked.CompareExchange(ref _owner, me, 0) == 0)
        {
            Drain(me, CallerBudget);
        }
    }

    /// <summary>
    /// Runs queued items while this thread owns the loop, then lets go. Ownership is released (a full fence) before the
    /// last look at the queue: an item queued by a thread that found the loop owned is then either seen here or run by
    /// its own thread.
    /// </summary>
    private void Drain(int me, int budget)
    {
        var ran = 0;
        while (true)
        {
            while (!_disposed && ran < budget && _queue.TryDequeue(out var item))
            {
                ran++;
                try
                {
                    item.Run(this);
                }
#pragma warning disable CA1031 // An item's failure goes to the loop's handler, never into the thread that ran it.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    Report(e);
                }
            }

            Interlocked.Exchange(ref _owner, 0);
            if (_disposed || _queue.IsEmpty)
            {
                return;
            }

            if (ran >= budget)
            {
                HandOff();
                return;
            }

            if (Interlocked.CompareExchange(ref _owner, me, 0) != 0)
            {
                return; // Another thread took the loop, and with it the queue.
            }
        }
    }

    private void Report(Exception error)
    {
        try
        {
            _onError(error);
        }
#pragma warning disable CA1031 // A failing handler must not stop the loop either.
        catch (Exception)
#pragma warning restore CA1031
        {
            // Nothing more to do with it.
        }
    }

    private void HandOff()
    {
        if (Interlocked.Exchange(ref _handedOff, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static loop => loop.RunHandedOff(), this, preferLocal: false);
        }
    }

    private void RunHandedOff()
    {
        Interlocked.Exchange(ref _handedOff, 0);
        var me = Environment.CurrentManagedThreadId;
        if (!_disposed && Interlocked.CompareExchange(ref _owner, me, 0) == 0)
        {
            Drain(me, int.MaxValue);
        }
    }

    private sealed class PeriodicItem<TState> : IDisposable
    {
        private readonly InlineEventLoop _loop;
        private readonly Func<TState, TState> _action;
        private readonly ITimer _timer;
        private TState _state;
        private int _queued;
        private volatile bool _cancelled;

        public PeriodicItem(InlineEventLoop loop, TState state, Func<TState, TState> action, TimeSpan period)
        {
            (_loop, _state, _action) = (loop, state, action);
            _timer = loop._time.CreateTimer(static s => ((PeriodicItem<TState>)s!).Tick(), this, period, period);
        }

        public void Dispose()
        {
            _cancelled = true;
            _timer.Dispose();
        }

        private void Tick()
        {
            if (_cancelled || _loop._disposed || Interlocked.Exchange(ref _queued, 1) != 0)
            {
                return;
            }

            try
            {
                _loop.Schedule(this, static (_, item) =>
                {
                    Interlocked.Exchange(ref item._queued, 0);
                    if (!item._cancelled)
                    {
                        item._state = item._action(item._state);
                    }

                    return Disposable.Empty;
                });
            }
            catch (ObjectDisposedException)
            {
                // Disposed between the check and the call: no more ticks.
            }
        }
    }

    private abstract class WorkItem : IDisposable
    {
        private const int Waiting = 0;
        private const int Running = 1;
        private const int Cancelled = 2;
        private int _state;
        private IDisposable? _result;
        private ITimer? _timer;

        public void Run(IScheduler scheduler)
        {
            if (Interlocked.CompareExchange(ref _state, Running, Waiting) != Waiting)
            {
                return;
            }

            Interlocked.Exchange(ref _result, Invoke(scheduler));

            // Cancelled while it ran: what it started (a recursive schedule, a periodic tick) is cancelled too.
            if (Volatile.Read(ref _state) == Cancelled)
            {
                Interlocked.Exchange(ref _result, null)?.Dispose();
            }
        }

        public void Dispose()
        {
            Interlocked.Exchange(ref _state, Cancelled);
            _timer?.Dispose();
            Interlocked.Exchange(ref _result, null)?.Dispose();
        }

        public void StartTimer(InlineEventLoop loop, TimeSpan due)
        {
            _timer = loop._time.CreateTimer(
                static s =>
                {
                    var (item, loop) = ((WorkItem, InlineEventLoop))s!;
                    item._timer?.Dispose();
                    if (!loop._disposed && Volatile.Read(ref item._state) == Waiting)
                    {
                        loop.Enqueue(item, Environment.CurrentManagedThreadId);
                    }
                },
                (this, loop),
                due,
                Timeout.InfiniteTimeSpan);
        }

        protected abstract IDisposable Invoke(IScheduler scheduler);
    }

    private sealed class WorkItem<TState>(TState state, Func<IScheduler, TState, IDisposable> action) : WorkItem
    {
        protected override IDisposable Invoke(IScheduler scheduler) => action(scheduler, state);
    }
}
