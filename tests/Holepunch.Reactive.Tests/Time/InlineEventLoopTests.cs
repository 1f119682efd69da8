using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using Holepunch.Reactive.Testing;
using Holepunch.Reactive.Time;

namespace Holepunch.Reactive.Tests.Time;

public sealed class InlineEventLoopTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public void ScheduleWhenIdle_RunsOnTheCallingThreadBeforeReturning()
    {
        using var loop = new InlineEventLoop(Unexpected);
        int? ranOn = null;
        var onLoop = false;

        loop.Schedule(() =>
        {
            ranOn = Environment.CurrentManagedThreadId;
            onLoop = loop.IsOnLoop;
        });

        Assert.Equal(Environment.CurrentManagedThreadId, ranOn);
        Assert.True(onLoop);
        Assert.False(loop.IsOnLoop);
    }

    [Fact]
    public void ScheduleFromInsideAnItem_RunsAfterThatItemInOrder()
    {
        using var loop = new InlineEventLoop(Unexpected);
        var order = new List<string>();

        loop.Schedule(() =>
        {
            order.Add("outer start");
            loop.Schedule(() => order.Add("first nested"));
            loop.Schedule(() => order.Add("second nested"));
            order.Add("outer end");
        });

        Assert.Equal(["outer start", "outer end", "first nested", "second nested"], order);
    }

    [Fact]
    public void ScheduleWhileAnotherThreadRunsTheLoop_ReturnsAtOnceAndTheOwnerRunsIt()
    {
        using var loop = new InlineEventLoop(Unexpected);
        using var inside = new ManualResetEventSlim();
        using var scheduled = new ManualResetEventSlim();
        var order = new List<string>();
        int? secondRanOn = null;
        var owner = new Thread(() => loop.Schedule(() =>
        {
            inside.Set();
            scheduled.Wait(Bound);
            order.Add("first");
        }));
        owner.Start();
        Assert.True(inside.Wait(Bound));

        loop.Schedule(() =>
        {
            order.Add("second");
            secondRanOn = Environment.CurrentManagedThreadId;
        });
        var ranBeforeReturning = order.Count;
        scheduled.Set();
        Assert.True(owner.Join(Bound));

        Assert.Equal(0, ranBeforeReturning);
        Assert.Equal(["first", "second"], order);
        Assert.Equal(owner.ManagedThreadId, secondRanOn);
    }

    [Fact]
    public void ManyThreadsScheduling_ItemsNeverOverlapAndAllRun()
    {
        const int Threads = 4;
        const int PerThread = 20_000;
        using var loop = new InlineEventLoop(Unexpected);
        using var done = new CountdownEvent(Threads * PerThread);
        var inside = 0;
        var overlaps = 0;
        long count = 0;

        var threads = Enumerable.Range(0, Threads).Select(_ => new Thread(() =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                loop.Schedule(() =>
                {
                    if (Interlocked.Increment(ref inside) != 1)
                    {
                        Interlocked.Increment(ref overlaps);
                    }

                    count++; // Not atomic on purpose: only one item runs at a time.
                    Interlocked.Decrement(ref inside);
                    done.Signal();
                });
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => Assert.True(t.Join(Bound)));

        Assert.True(done.Wait(Bound));
        Assert.Equal(0, overlaps);
        Assert.Equal(Threads * PerThread, count);
    }

    [Fact]
    public void BacklogBeyondTheCallerBudget_IsHandedToTheThreadPool()
    {
        const int Backlog = InlineEventLoop.CallerBudget * 3;
        using var loop = new InlineEventLoop(Unexpected);
        using var done = new CountdownEvent(Backlog);
        var caller = Environment.CurrentManagedThreadId;
        var onCaller = 0;
        var elsewhere = 0;

        loop.Schedule(() =>
        {
            for (var i = 0; i < Backlog; i++)
            {
                loop.Schedule(() =>
                {
                    if (Environment.CurrentManagedThreadId == caller)
                    {
                        onCaller++;
                    }
                    else
                    {
                        Interlocked.Increment(ref elsewhere);
                    }

                    done.Signal();
                });
            }
        });

        Assert.True(done.Wait(Bound));
        Assert.Equal(InlineEventLoop.CallerBudget, onCaller);
        Assert.Equal(Backlog - onCaller, Volatile.Read(ref elsewhere));
    }

    [Fact]
    public void ItemThatThrows_GoesToTheHandlerNotToTheCaller_AndTheLoopGoesOn()
    {
        var errors = new List<Exception>();
        using var loop = new InlineEventLoop(errors.Add);
        var ran = false;

        loop.Schedule(() => throw new InvalidOperationException("boom"));
        loop.Schedule(() => ran = true);

        Assert.True(ran);
        Assert.Equal("boom", Assert.Single(errors).Message);
        Assert.False(loop.IsOnLoop);
    }

    [Fact]
    public void AnotherItemThatThrows_DoesNotReachTheCallerWhoseThreadRanIt()
    {
        var errors = new List<Exception>();
        using var loop = new InlineEventLoop(errors.Add);
        var order = new List<string>();

        var call = Record.Exception(() => loop.Schedule(() =>
        {
            order.Add("mine");
            loop.Schedule(() => throw new InvalidOperationException("someone else's"));
            loop.Schedule(() => order.Add("after"));
        }));

        Assert.Null(call);
        Assert.Equal(["mine", "after"], order);
        Assert.Equal("someone else's", Assert.Single(errors).Message);
    }

    [Fact]
    public void ItemDisposedWhileItRuns_WhatItReturnedIsDisposed()
    {
        using var loop = new InlineEventLoop(Unexpected);
        var started = new BooleanDisposable();
        IDisposable? handle = null;

        loop.Schedule(() =>
        {
            // Queued behind this item; it cancels itself while it runs, after starting something.
            handle = loop.Schedule(0, (_, _) =>
            {
                handle!.Dispose();
                return started;
            });
        });

        Assert.True(started.IsDisposed);
    }

    [Fact]
    public void PeriodicTimerDueAtOnce_OnAnIdleLoop_KeepsFiring()
    {
        var clock = new TestScheduler();
        using var loop = new InlineEventLoop(Unexpected, new SchedulerTimeProvider(clock));
        var provider = new SchedulerTimeProvider(loop);
        var fired = 0;

        using var timer = provider.CreateTimer(_ => fired++, null, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        clock.AdvanceBy(TimeSpan.FromSeconds(3).Ticks);

        Assert.Equal(4, fired);
    }

    [Fact]
    public void TimedItem_RunsWhenItsTimeComes()
    {
        var clock = new TestScheduler();
        using var loop = new InlineEventLoop(Unexpected, new SchedulerTimeProvider(clock));
        var ranAt = TimeSpan.MinValue;

        loop.Schedule(TimeSpan.FromSeconds(5), () => ranAt = TimeSpan.FromTicks(clock.Clock));
        clock.AdvanceBy(TimeSpan.FromSeconds(4).Ticks);
        var early = ranAt;
        clock.AdvanceBy(TimeSpan.FromSeconds(1).Ticks);

        Assert.Equal(TimeSpan.MinValue, early);
        Assert.Equal(TimeSpan.FromSeconds(5), ranAt);
    }

    [Fact]
    public void TimedItemDisposedBeforeItsTime_NeverRuns()
    {
        var clock = new TestScheduler();
        using var loop = new InlineEventLoop(Unexpected, new SchedulerTimeProvider(clock));
        var ran = false;

        var item = loop.Schedule(TimeSpan.FromSeconds(5), () => ran = true);
        clock.AdvanceBy(TimeSpan.FromSeconds(1).Ticks);
        item.Dispose();
        clock.AdvanceBy(TimeSpan.FromSeconds(10).Ticks);

        Assert.False(ran);
    }

    [Fact]
    public void SchedulePeriodic_TicksOnThePeriodWithState_UntilDisposed()
    {
        var clock = new TestScheduler();
        using var loop = new InlineEventLoop(Unexpected, new SchedulerTimeProvider(clock));
        var ticks = new List<(long At, int State)>();

        // Rx's extension finds the loop's own periodic scheduling (absolute ticks, no drift).
        var periodic = Scheduler.SchedulePeriodic(loop, 0, TimeSpan.FromSeconds(1), n =>
        {
            ticks.Add((clock.Clock, n));
            return n + 1;
        });
        clock.AdvanceBy(TimeSpan.FromSeconds(3).Ticks);
        periodic.Dispose();
        clock.AdvanceBy(TimeSpan.FromSeconds(3).Ticks);

        Assert.NotNull(((IServiceProvider)loop).GetService(typeof(ISchedulerPeriodic)));
        Assert.Equal(
            [(TimeSpan.FromSeconds(1).Ticks, 0), (TimeSpan.FromSeconds(2).Ticks, 1), (TimeSpan.FromSeconds(3).Ticks, 2)],
            ticks);
    }

    [Fact]
    public void AfterDispose_QueuedWorkIsDroppedAndNewWorkRefused()
    {
        var loop = new InlineEventLoop(Unexpected);
        var ran = new List<string>();

        loop.Schedule(() =>
        {
            loop.Schedule(() => ran.Add("queued"));
            loop.Dispose();
            ran.Add("running");
        });

        Assert.Throws<ObjectDisposedException>(() => loop.Schedule(() => ran.Add("after")));
        Assert.Throws<ObjectDisposedException>(() => loop.Schedule(TimeSpan.FromSeconds(1), () => ran.Add("timed")));
        Assert.Equal(["running"], ran);
    }

    [Fact]
    public void ScheduleAtAnAbsoluteTime_RunsAtThatTime()
    {
        var clock = new TestScheduler();
        using var loop = new InlineEventLoop(Unexpected, new SchedulerTimeProvider(clock));
        var ranAt = -1L;

        loop.Schedule(loop.Now.AddSeconds(3), () => ranAt = clock.Clock);
        clock.AdvanceBy(TimeSpan.FromSeconds(3).Ticks);

        Assert.Equal(TimeSpan.FromSeconds(3).Ticks, ranAt);
    }

    private static void Unexpected(Exception error) => Assert.Fail("A work item threw: " + error);
}
