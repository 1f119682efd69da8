using Holepunch.Reactive.Resilience;
using Holepunch.Reactive.Testing;
using Holepunch.Reactive.Tests.Time;
using Polly;

namespace Holepunch.Reactive.Tests.Resilience;

/// <summary>
/// The request runner's reply timeouts share one timer (<see cref="ReplyDeadlines"/>): every attempt must still time out
/// exactly at its own deadline, whatever the other requests in flight do.
/// </summary>
public class RequestRunnerDeadlineTests
{
    private readonly TestScheduler _scheduler = new();

    [Fact]
    public void RequestsStartedAtDifferentTimes_EachAttemptTimesOutAtItsOwnDeadline()
    {
        using var _ = SynchronizationContextScope.None();
        var runner = new RequestRunner(RequestRetryOptions.Default, _scheduler);
        var first = new List<long>();
        var second = new List<long>();

        var a = runner.RunAsync(_ => first.Add(_scheduler.Clock), new TaskCompletionSource<bool>().Task, CancellationToken.None);
        _scheduler.AdvanceBy(Ms(300));
        var b = runner.RunAsync(_ => second.Add(_scheduler.Clock), new TaskCompletionSource<bool>().Task, CancellationToken.None);
        _scheduler.AdvanceBy(Ms(3000) - 1 - Ms(300));

        Assert.Equal([0, Ms(1000), Ms(2000)], first);
        Assert.Equal([Ms(300), Ms(1300), Ms(2300)], second);
        Assert.False(a.IsCompleted);

        _scheduler.AdvanceBy(1);
        Assert.IsType<TimeoutException>(a.Exception?.InnerException);
        Assert.False(b.IsCompleted);

        _scheduler.AdvanceBy(Ms(300));
        Assert.IsType<TimeoutException>(b.Exception?.InnerException);
    }

    [Fact]
    public void EarlierRequestAnswered_LaterRequestStillTimesOutOnTime()
    {
        using var _ = SynchronizationContextScope.None();
        var runner = new RequestRunner(RequestRetryOptions.Default, _scheduler);
        var answered = new TaskCompletionSource<bool>();
        var attempts = new List<long>();

        var a = runner.RunAsync(_ => { }, answered.Task, CancellationToken.None);
        _scheduler.AdvanceBy(Ms(200));
        var b = runner.RunAsync(_ => attempts.Add(_scheduler.Clock), new TaskCompletionSource<bool>().Task, CancellationToken.None);
        _scheduler.AdvanceBy(Ms(100));
        answered.SetResult(true);
        _scheduler.AdvanceBy(Ms(3000));

        Assert.True(a.IsCompletedSuccessfully);
        Assert.Equal([Ms(200), Ms(1200), Ms(2200)], attempts);
        Assert.IsType<TimeoutException>(b.Exception?.InnerException);
    }

    [Fact]
    public void ReplyDuringBackoffPause_CompletesAtOnceAndStopsResending()
    {
        using var _ = SynchronizationContextScope.None();
        var options = new RequestRetryOptions { Delay = TimeSpan.FromMilliseconds(500), BackoffType = DelayBackoffType.Constant };
        var runner = new RequestRunner(options, _scheduler);
        var reply = new TaskCompletionSource<bool>();
        var attempts = new List<long>();

        var request = runner.RunAsync(_ => attempts.Add(_scheduler.Clock), reply.Task, CancellationToken.None);
        _scheduler.AdvanceBy(Ms(1200));
        reply.SetResult(true);

        Assert.True(request.IsCompletedSuccessfully);
        _scheduler.AdvanceBy(Ms(5000));
        Assert.Equal([0L], attempts);
    }

    [Fact]
    public void Cancelled_FailsWithCancellationAndSendsNoMore()
    {
        using var _ = SynchronizationContextScope.None();
        var runner = new RequestRunner(RequestRetryOptions.Default, _scheduler);
        using var cancellation = new CancellationTokenSource();
        var attempts = new List<long>();

        var request = runner.RunAsync(_ => attempts.Add(_scheduler.Clock), new TaskCompletionSource<bool>().Task, cancellation.Token);
        _scheduler.AdvanceBy(Ms(500));
        cancellation.Cancel();
        _scheduler.AdvanceBy(Ms(5000));

        Assert.True(request.IsCanceled);
        Assert.Equal([0L], attempts);
    }

    private static long Ms(int milliseconds) => TimeSpan.FromMilliseconds(milliseconds).Ticks;
}
