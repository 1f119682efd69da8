using Holepunch.Reactive.Testing;
using Holepunch.Reactive.Time;

namespace Holepunch.Reactive.Tests.Time;

public class SchedulerTimeProviderTests
{
    private readonly TestScheduler _scheduler = new();
    private readonly SchedulerTimeProvider _time;
    private readonly List<long> _firedAt = [];

    public SchedulerTimeProviderTests() => _time = new SchedulerTimeProvider(_scheduler);

    [Fact]
    public void GetUtcNow_FollowsTheVirtualClock()
    {
        var start = _time.GetUtcNow();

        _scheduler.AdvanceBy(TimeSpan.FromSeconds(5));

        Assert.Equal(new DateTimeOffset(0, TimeSpan.Zero), start);
        Assert.Equal(start + TimeSpan.FromSeconds(5), _time.GetUtcNow());
        Assert.Equal(TimeSpan.Zero, _time.GetUtcNow().Offset);
        Assert.Equal(TimeZoneInfo.Utc, _time.LocalTimeZone);
    }

    [Fact]
    public void GetTimestamp_FollowsTheVirtualClock()
    {
        var start = _time.GetTimestamp();

        _scheduler.AdvanceBy(TimeSpan.FromMilliseconds(1500));

        Assert.Equal(TimeSpan.FromMilliseconds(1500), _time.GetElapsedTime(start));
        Assert.Equal(TimeSpan.FromMilliseconds(1500).Ticks, _time.GetTimestamp() - start);
        Assert.Equal(TimeSpan.TicksPerSecond, _time.TimestampFrequency);
    }

    [Fact]
    public void Timer_FiresOnceAtItsDueTime_WithItsState()
    {
        object? seen = null;
        using var timer = _time.CreateTimer(state => { seen = state; Record(); }, "state", TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan);

        _scheduler.AdvanceBy(TimeSpan.FromSeconds(2) - TimeSpan.FromTicks(1));
        Assert.Empty(_firedAt);

        _scheduler.AdvanceBy(TimeSpan.FromSeconds(10));

        Assert.Equal([Ticks(2000)], _firedAt);
        Assert.Equal("state", seen);
    }

    [Fact]
    public void Timer_WithAPeriod_RepeatsAtEveryPeriod()
    {
        using var timer = _time.CreateTimer(_ => Record(), null, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(500));

        _scheduler.AdvanceBy(TimeSpan.FromMilliseconds(2600));

        Assert.Equal([Ticks(1000), Ticks(1500), Ticks(2000), Ticks(2500)], _firedAt);
    }

    [Fact]
    public void Timer_WithAZeroPeriod_FiresOnce()
    {
        using var timer = _time.CreateTimer(_ => Record(), null, TimeSpan.FromSeconds(1), TimeSpan.Zero);

        _scheduler.AdvanceBy(TimeSpan.FromSeconds(10));

        Assert.Equal([Ticks(1000)], _firedAt);
    }

    [Fact]
    public void Timer_DueNow_FiresOnTheNextTick()
    {
        using var timer = _time.CreateTimer(_ => Record(), null, TimeSpan.Zero, Timeout.InfiniteTimeSpan);

        _scheduler.AdvanceBy(1);

        Assert.Equal([1L], _firedAt);
    }

    [Fact]
    public void Timer_InfiniteDueTime_NeverFires()
    {
        using var timer = _time.CreateTimer(_ => Record(), null, Timeout.InfiniteTimeSpan, TimeSpan.FromSeconds(1));

        _scheduler.AdvanceBy(TimeSpan.FromMinutes(1));

        Assert.Empty(_firedAt);
    }

    [Fact]
    public void Change_BeforeTheTimerFires_ReschedulesIt()
    {
        using var timer = _time.CreateTimer(_ => Record(), null, TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);
        _scheduler.AdvanceBy(TimeSpan.FromSeconds(1));

        Assert.True(timer.Change(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan));
        _scheduler.AdvanceBy(TimeSpan.FromSeconds(10));

        Assert.Equal([Ticks(2000)], _firedAt);
    }

    [Fact]
    public void Change_OfAPeriodicTimer_RestartsItsPeriodFromTheNewDueTime()
    {
        using var timer = _time.CreateTimer(_ => Record(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        _scheduler.AdvanceBy(TimeSpan.FromMilliseconds(1200));

        timer.Change(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(300));
        _scheduler.AdvanceBy(TimeSpan.FromMilliseconds(800));

        Assert.Equal([Ticks(1000), Ticks(1300), Ticks(1600), Ticks(1900)], _firedAt);
    }

    [Fact]
    public void Change_ToInfinite_StopsTheTimer()
    {
        using var timer = _time.CreateTimer(_ => Record(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        _scheduler.AdvanceBy(TimeSpan.FromMilliseconds(1500));

        timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _scheduler.AdvanceBy(TimeSpan.FromSeconds(10));

        Assert.Equal([Ticks(1000)], _firedAt);
    }

    [Fact]
    public void Change_FromTheCallback_ReschedulesFromThere()
    {
        ITimer? timer = null;
        timer = _time.CreateTimer(_ =>
        {
            Record();
            if (_firedAt.Count < 3)
            {
                timer!.Change(TimeSpan.FromMilliseconds(_firedAt.Count * 100), Timeout.InfiniteTimeSpan);
            }
        }, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        _scheduler.AdvanceBy(TimeSpan.FromSeconds(2));
        timer.Dispose();

        Assert.Equal([Ticks(1000), Ticks(1100), Ticks(1300)], _firedAt);
    }

    [Fact]
    public void Dispose_StopsAPeriodicTimer_AndChangeAfterwardsReturnsFalse()
    {
        var timer = _time.CreateTimer(_ => Record(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        _scheduler.AdvanceBy(TimeSpan.FromMilliseconds(1500));

        timer.Dispose();
        _scheduler.AdvanceBy(TimeSpan.FromSeconds(10));

        Assert.Equal([Ticks(1000)], _firedAt);
        Assert.False(timer.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
        timer.Dispose();
    }

    [Fact]
    public async Task DisposeAsync_StopsTheTimer()
    {
        var timer = _time.CreateTimer(_ => Record(), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        await timer.DisposeAsync();
        _scheduler.AdvanceBy(TimeSpan.FromSeconds(10));

        Assert.Empty(_firedAt);
    }

    [Fact]
    public void Dispose_FromTheCallback_StopsTheNextPeriod()
    {
        ITimer? timer = null;
        timer = _time.CreateTimer(_ => { Record(); timer!.Dispose(); }, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        _scheduler.AdvanceBy(TimeSpan.FromSeconds(5));

        Assert.Equal([Ticks(1000)], _firedAt);
    }

    [Fact]
    public void Callback_RunsOnTheThreadThatAdvancesTheScheduler()
    {
        var thread = -1;
        using var timer = _time.CreateTimer(_ => thread = Environment.CurrentManagedThreadId, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        _scheduler.AdvanceBy(TimeSpan.FromSeconds(1));

        Assert.Equal(Environment.CurrentManagedThreadId, thread);
    }

    [Fact]
    public void TaskDelay_OverTheProvider_CompletesAtTheVirtualDueTime()
    {
        using var _ = SynchronizationContextScope.None();
        var completedAt = -1L;

        var delay = Task.Delay(TimeSpan.FromMilliseconds(750), _time).ContinueWith(_ => completedAt = _scheduler.Clock, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        _scheduler.AdvanceBy(TimeSpan.FromMilliseconds(749));
        Assert.False(delay.IsCompleted);

        _scheduler.AdvanceBy(TimeSpan.FromMilliseconds(1));

        Assert.True(delay.IsCompletedSuccessfully);
        Assert.Equal(Ticks(750), completedAt);
    }

    [Fact]
    public void CancellationTokenSource_OverTheProvider_CancelsAtTheVirtualDueTime()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(3), _time);
        var canceledAt = -1L;
        using var registration = cts.Token.Register(() => canceledAt = _scheduler.Clock);

        _scheduler.AdvanceBy(TimeSpan.FromSeconds(5));

        Assert.Equal(Ticks(3000), canceledAt);
    }

    [Fact]
    public void NegativeTimes_AreRejectedAsSystemTimersDo()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _time.CreateTimer(_ => { }, null, TimeSpan.FromTicks(-1), Timeout.InfiniteTimeSpan));
        Assert.Throws<ArgumentOutOfRangeException>(() => _time.CreateTimer(_ => { }, null, TimeSpan.Zero, TimeSpan.FromSeconds(-2)));
        using var timer = _time.CreateTimer(_ => { }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Assert.Throws<ArgumentOutOfRangeException>(() => timer.Change(TimeSpan.FromSeconds(-1), Timeout.InfiniteTimeSpan));
    }

    [Fact]
    public void NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => new SchedulerTimeProvider(null!));
        Assert.Throws<ArgumentNullException>(() => _time.CreateTimer(null!, null, TimeSpan.Zero, Timeout.InfiniteTimeSpan));
        Assert.Same(_scheduler, _time.Scheduler);
    }

    private static long Ticks(int milliseconds) => TimeSpan.FromMilliseconds(milliseconds).Ticks;

    private void Record() => _firedAt.Add(_scheduler.Clock);
}
