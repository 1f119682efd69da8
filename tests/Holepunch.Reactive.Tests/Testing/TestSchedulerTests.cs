using System.Reactive.Concurrency;
using System.Reactive.Linq;
using Holepunch.Reactive.Testing;
using static Holepunch.Reactive.Testing.ReactiveTest;

namespace Holepunch.Reactive.Tests.Testing;

public class TestSchedulerTests
{
    [Fact]
    public void Start_ColdObservable_RecordsNotificationsRelativeToTheSubscriptionAt200()
    {
        var scheduler = new TestScheduler();
        var xs = scheduler.CreateColdObservable(OnNext(10, 'a'), OnNext(20, 'b'), OnCompleted<char>(30));

        var results = scheduler.Start(() => xs);

        Assert.Equal([OnNext(210, 'a'), OnNext(220, 'b'), OnCompleted<char>(230)], results.Messages);
        Assert.Equal([Subscribe(200, 1000)], xs.Subscriptions);
    }

    [Fact]
    public void Start_HotObservable_RecordsOnlyWhatIsEmittedWhileSubscribed()
    {
        var scheduler = new TestScheduler();
        var xs = scheduler.CreateHotObservable(OnNext(150, 1), OnNext(210, 2), OnNext(999, 3), OnNext(1000, 4), OnNext(1100, 5));

        var results = scheduler.Start(() => xs);

        // Work due at the same tick runs in the order it was scheduled (as in Rx): the hot observable scheduled its
        // message at 1000 when it was created, before Start scheduled the disposal at 1000.
        Assert.Equal([OnNext(210, 2), OnNext(999, 3), OnNext(1000, 4)], results.Messages);
        Assert.Equal([Subscribe(200, 1000)], xs.Subscriptions);
    }

    [Fact]
    public void Start_Operator_RecordsItsOutputAndTheSourcesSubscription()
    {
        var scheduler = new TestScheduler();
        var xs = scheduler.CreateHotObservable(OnNext(220, 1), OnNext(230, 2), OnCompleted<int>(240));

        var results = scheduler.Start(() => xs.Select(x => x * 10));

        Assert.Equal([OnNext(220, 10), OnNext(230, 20), OnCompleted<int>(240)], results.Messages);
        Assert.Equal([Subscribe(200, 240)], xs.Subscriptions);
    }

    [Fact]
    public void Start_Error_IsRecordedWithItsException()
    {
        var scheduler = new TestScheduler();
        var error = new InvalidOperationException("boom");
        var xs = scheduler.CreateHotObservable(OnNext(210, 1), OnError<int>(250, error));

        var results = scheduler.Start(() => xs);

        Assert.Equal([OnNext(210, 1), OnError<int>(250, error)], results.Messages);
    }

    [Fact]
    public void Start_CustomMarks_CreateSubscribeAndDisposeThen()
    {
        var scheduler = new TestScheduler();
        var created = -1L;
        var xs = scheduler.CreateHotObservable(OnNext(15, 1), OnNext(25, 2), OnNext(55, 3));

        var results = scheduler.Start(() =>
        {
            created = scheduler.Clock;
            return xs;
        }, created: 10, subscribed: 20, disposed: 50);

        Assert.Equal(10, created);
        Assert.Equal([OnNext(25, 2)], results.Messages);
        Assert.Equal([Subscribe(20, 50)], xs.Subscriptions);
    }

    [Fact]
    public void Start_ReturnOnTheScheduler_ArrivesOneTickAfterSubscribing()
    {
        var scheduler = new TestScheduler();

        var results = scheduler.Start(() => Observable.Return(42, scheduler));

        Assert.Equal([OnNext(201, 42), OnCompleted<int>(201)], results.Messages);
    }

    [Fact]
    public void Start_Timer_FiresExactlyAtItsDueTime()
    {
        var scheduler = new TestScheduler();

        var results = scheduler.Start(() => Observable.Timer(TimeSpan.FromTicks(100), scheduler));

        Assert.Equal([OnNext(300, 0L), OnCompleted<long>(300)], results.Messages);
    }

    [Fact]
    public void WorkScheduledNow_RunsAtClockPlusOne()
    {
        var scheduler = new TestScheduler();
        var ranAt = new List<long>();
        scheduler.AdvanceTo(50);

        scheduler.Schedule(() => ranAt.Add(scheduler.Clock));
        scheduler.Schedule(TimeSpan.Zero, () => ranAt.Add(scheduler.Clock));
        scheduler.ScheduleAbsolute(0, () => ranAt.Add(scheduler.Clock));
        scheduler.ScheduleAbsolute(50, () => ranAt.Add(scheduler.Clock));
        scheduler.Start();

        Assert.Equal([51L, 51L, 51L, 51L], ranAt);
    }

    [Fact]
    public void WorkScheduledAhead_RunsAtItsDueTime()
    {
        var scheduler = new TestScheduler();
        var ranAt = new List<long>();

        scheduler.Schedule(TimeSpan.FromTicks(30), () => ranAt.Add(scheduler.Clock));
        scheduler.ScheduleAbsolute(10, () => ranAt.Add(scheduler.Clock));
        scheduler.Start();

        Assert.Equal([10L, 30L], ranAt);
    }

    [Fact]
    public void AdvanceBy_TimeSpan_MovesTheClockAndNowByItsTicks()
    {
        var scheduler = new TestScheduler();
        var ranAt = new List<long>();
        scheduler.Schedule(TimeSpan.FromMilliseconds(1500), () => ranAt.Add(scheduler.Clock));

        scheduler.AdvanceBy(TimeSpan.FromSeconds(1));
        Assert.Empty(ranAt);

        scheduler.AdvanceBy(TimeSpan.FromSeconds(1));

        Assert.Equal([TimeSpan.FromMilliseconds(1500).Ticks], ranAt);
        Assert.Equal(TimeSpan.FromSeconds(2).Ticks, scheduler.Clock);
        Assert.Equal(new DateTimeOffset(TimeSpan.FromSeconds(2).Ticks, TimeSpan.Zero), scheduler.Now);
    }

    [Fact]
    public void ScheduledWork_DisposedBeforeItIsDue_NeverRuns()
    {
        var scheduler = new TestScheduler();
        var ran = false;

        var work = scheduler.Schedule(TimeSpan.FromTicks(10), () => ran = true);
        work.Dispose();
        scheduler.Start();

        Assert.False(ran);
    }

    [Fact]
    public void ColdObservable_EverySubscription_IsRecordedAndReplaysFromItsStart()
    {
        var scheduler = new TestScheduler();
        var xs = scheduler.CreateColdObservable(OnNext(5, "x"), OnCompleted<string>(10));
        var first = scheduler.CreateObserver<string>();
        var second = scheduler.CreateObserver<string>();
        IDisposable? firstSubscription = null;

        scheduler.ScheduleAbsolute(100, () => firstSubscription = xs.Subscribe(first));
        scheduler.ScheduleAbsolute(120, () => firstSubscription!.Dispose());
        scheduler.ScheduleAbsolute(130, () => xs.Subscribe(second));
        scheduler.ScheduleAbsolute(200, () => firstSubscription!.Dispose());
        scheduler.Start();

        Assert.Equal([OnNext(105, "x"), OnCompleted<string>(110)], first.Messages);
        Assert.Equal([OnNext(135, "x"), OnCompleted<string>(140)], second.Messages);
        Assert.Equal([Subscribe(100, 120), Subscribe(130)], xs.Subscriptions);
    }

    [Fact]
    public void ColdObservable_DisposedEarly_StopsItsScheduledNotifications()
    {
        var scheduler = new TestScheduler();
        var xs = scheduler.CreateColdObservable(OnNext(100, 1), OnNext(900, 2));

        var results = scheduler.Start(() => xs);

        Assert.Equal([OnNext(300, 1)], results.Messages);
        Assert.Equal([Subscribe(200, 1000)], xs.Subscriptions);
    }

    [Fact]
    public void HotObservable_SeveralObservers_EachRecordsItsOwnSubscription()
    {
        var scheduler = new TestScheduler();
        var xs = scheduler.CreateHotObservable(OnNext(110, 1), OnNext(130, 2), OnNext(150, 3));
        var early = scheduler.CreateObserver<int>();
        var late = scheduler.CreateObserver<int>();
        IDisposable? earlySubscription = null;

        scheduler.ScheduleAbsolute(100, () => earlySubscription = xs.Subscribe(early));
        scheduler.ScheduleAbsolute(120, () => xs.Subscribe(late));
        scheduler.ScheduleAbsolute(140, () => earlySubscription!.Dispose());
        scheduler.Start();

        Assert.Equal([OnNext(110, 1), OnNext(130, 2)], early.Messages);
        Assert.Equal([OnNext(130, 2), OnNext(150, 3)], late.Messages);
        Assert.Equal([Subscribe(100, 140), Subscribe(120)], xs.Subscriptions);
        Assert.Equal([OnNext(110, 1), OnNext(130, 2), OnNext(150, 3)], xs.Messages);
    }

    [Fact]
    public void Marks_AreRxs()
    {
        Assert.Equal((100L, 200L, 1000L), (ReactiveTest.Created, ReactiveTest.Subscribed, ReactiveTest.Disposed));
        Assert.Equal((100L, 200L, 1000L), (TestScheduler.Created, TestScheduler.Subscribed, TestScheduler.Disposed));
    }

    [Fact]
    public void RecordedAndSubscription_PrintReadably()
    {
        Assert.Equal("(200, 1000)", Subscribe(200, 1000).ToString());
        Assert.Equal("(200, Infinite)", Subscribe(200).ToString());
        Assert.Equal(Subscription.Infinite, Subscribe(200).Unsubscribe);
        Assert.Equal("OnNext(7)@210", OnNext(210, 7).ToString());
    }

    [Fact]
    public void Start_NullFactory_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new TestScheduler().Start<int>(null!));
    }
}
