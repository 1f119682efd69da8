using System.Reactive.Concurrency;
using System.Reactive.Disposables;

namespace Holepunch.Reactive.Time;

/// <summary>
/// A <see cref="TimeProvider"/> whose clock and timers are an Rx <see cref="IScheduler"/>, so that Polly's delays
/// and Rx's timers run on one clock: the client's event loop in production, a virtual-time scheduler in tests.
/// </summary>
/// <remarks>
/// <para>
/// Timer callbacks run on the scheduler. Timestamps count the scheduler's <see cref="IScheduler.Now"/> in ticks,
/// so elapsed-time measurements follow virtual time too.
/// </para>
/// <para>
/// Async code on this clock (a Polly pipeline, <c>Task.Delay(delay, provider)</c>) stays on the scheduler only if the
/// thread that runs the scheduler has no <see cref="SynchronizationContext"/>: where one is current, the runtime
/// does not run task continuations inline, not even <c>ConfigureAwait(false)</c> ones, and queues them to the thread
/// pool (and Rx's observable awaiter posts to the context). An event-loop thread has none; a test that drives a
/// <c>TestScheduler</c> from an xUnit thread, a UI thread or Godot's main thread must clear it while it advances.
/// </para>
/// </remarks>
public sealed class SchedulerTimeProvider : TimeProvider
{
    /// <summary>Creates a time provider over <paramref name="scheduler"/>.</summary>
    /// <param name="scheduler">The scheduler whose clock and timers to use.</param>
    /// <exception cref="ArgumentNullException"><paramref name="scheduler"/> is <see langword="null"/>.</exception>
    public SchedulerTimeProvider(IScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        Scheduler = scheduler;
    }

    /// <summary>The scheduler that provides the clock and runs timer callbacks.</summary>
    public IScheduler Scheduler { get; }

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => Scheduler.Now.ToUniversalTime();

    /// <inheritdoc/>
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc/>
    public override long GetTimestamp() => Scheduler.Now.UtcTicks;

    /// <inheritdoc/>
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="callback"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dueTime"/> or <paramref name="period"/> is negative and not infinite.</exception>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        SchedulerTimer.Validate(dueTime, period);
        var timer = new SchedulerTimer(Scheduler, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class SchedulerTimer(IScheduler scheduler, TimerCallback callback, object? state) : ITimer
    {
        private readonly SerialDisposable _pending = new();
        private TimeSpan _period = Timeout.InfiniteTimeSpan;
        private long _generation;
        private long _firedGeneration;
        private bool _disposed;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Validate(dueTime, period);
            lock (_pending)
            {
                if (_disposed)
                {
                    return false;
                }

                _period = period;
                var generation = ++_generation;
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    _pending.Disposable = null;
                    return true;
                }

                var first = scheduler.Schedule(dueTime, () => Fire(generation));

                // A scheduler that ran the first firing inline (due now, on an idle loop) has already scheduled the next
                // period: keep that one rather than the finished first.
                if (_firedGeneration != generation)
                {
                    _pending.Disposable = first;
                }

                return true;
            }
        }

        public void Dispose()
        {
            lock (_pending)
            {
                _disposed = true;
                _generation++;
                _pending.Dispose();
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return default;
        }

        private void Fire(long generation)
        {
            lock (_pending)
            {
                // A Change or Dispose since this firing was scheduled makes it stale.
                if (_disposed || generation != _generation)
                {
                    return;
                }

                _firedGeneration = generation;

                if (_period != Timeout.InfiniteTimeSpan && _period > TimeSpan.Zero)
                {
                    _pending.Disposable = scheduler.Schedule(_period, () => Fire(generation));
                }
            }

            callback(state);
        }

        /// <summary>As <see cref="Timer.Change(TimeSpan, TimeSpan)"/>: a negative time other than infinite is an error, not "now".</summary>
        public static void Validate(TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime < TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
            {
                throw new ArgumentOutOfRangeException(nameof(dueTime), dueTime, "The due time must be zero or more, or infinite.");
            }

            if (period < TimeSpan.Zero && period != Timeout.InfiniteTimeSpan)
            {
                throw new ArgumentOutOfRangeException(nameof(period), period, "The period must be zero or more, or infinite.");
            }
        }
    }
}
