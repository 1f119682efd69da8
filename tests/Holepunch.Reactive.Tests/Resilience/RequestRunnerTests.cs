using System.Reactive.Concurrency;
using Holepunch.Reactive.Resilience;
using Holepunch.Reactive.Testing;
using Holepunch.Reactive.Time;
using Polly;

namespace Holepunch.Reactive.Tests.Resilience;

public sealed class RequestRunnerTests
{
    private static readonly RequestRetryOptions Backoff = new()
    {
        ReplyTimeout = TimeSpan.FromSeconds(1),
        MaxAttempts = 4,
        Delay = TimeSpan.FromMilliseconds(500),
        BackoffType = DelayBackoffType.Exponential,
    };

    [Fact]
    public void SilentPeer_AttemptsLandExactlyOnTheBackoffTicks_ThenTimesOut()
    {
        var scheduler = new TestScheduler();
        var runner = new RequestRunner(Backoff, ContextFreeScheduler.Wrap(scheduler));
        var sends = new List<double>();

        var request = runner.RunAsync(_ => sends.Add(scheduler.Now.TimeOfDay.TotalMilliseconds), new TaskCompletionSource<bool>().Task, default);
        scheduler.AdvanceBy(TimeSpan.FromSeconds(7.4));
        Assert.False(request.IsCompleted);
        scheduler.AdvanceBy(TimeSpan.FromSeconds(0.2));

        Assert.Equal([0, 1500, 3500, 6500], sends.Select(s => Math.Round(s)));
        Assert.IsType<TimeoutException>(request.Exception?.InnerException);
        Assert.Equal(TimeSpan.FromMilliseconds(7500), Backoff.TotalTimeout);
    }

    [Fact]
    public async Task ReplyDuringBackoff_CompletesAtOnceAndStopsResending()
    {
        // The trap of ARCHITECTURE.md: the acknowledgement of the first copy arrives after its attempt timed out.
        var scheduler = new TestScheduler();
        var loop = ContextFreeScheduler.Wrap(scheduler);
        var runner = new RequestRunner(Backoff, loop);
        var reply = new TaskCompletionSource<string>();
        var sends = 0;

        var request = runner.RunAsync(_ => sends++, reply.Task, default);
        scheduler.AdvanceBy(TimeSpan.FromMilliseconds(1200)); // first attempt timed out at 1000; backoff until 1500
        loop.Schedule(() => reply.SetResult("late ack"));
        scheduler.AdvanceBy(TimeSpan.FromMilliseconds(1));

        Assert.True(request.IsCompletedSuccessfully);
        Assert.Equal("late ack", await request);
        scheduler.AdvanceBy(TimeSpan.FromSeconds(10));
        Assert.Equal(1, sends);
    }

    [Fact]
    public async Task ReplyInsideTheFirstWindow_SendsOnce()
    {
        var scheduler = new TestScheduler();
        var loop = ContextFreeScheduler.Wrap(scheduler);
        var runner = new RequestRunner(RequestRetryOptions.Default, loop);
        var reply = new TaskCompletionSource<int>();
        var sends = new List<int>();

        var request = runner.RunAsync(sends.Add, reply.Task, default);
        scheduler.AdvanceBy(TimeSpan.FromMilliseconds(300));
        loop.Schedule(() => reply.SetResult(7));
        scheduler.AdvanceBy(TimeSpan.FromSeconds(5));

        Assert.Equal(7, await request);
        Assert.Equal([0], sends);
    }

    [Fact]
    public async Task ReferenceDefaults_ReplyToTheSecondAttempt_CompletesThenAndSendsNoThird()
    {
        // The first attempt runs outside the Polly pipeline and the resends inside it: the hand-over keeps the instants.
        var scheduler = new TestScheduler();
        var loop = ContextFreeScheduler.Wrap(scheduler);
        var runner = new RequestRunner(RequestRetryOptions.Default, loop);
        var reply = new TaskCompletionSource<int>();
        var sends = new List<double>();

        var request = runner.RunAsync(_ => sends.Add(scheduler.Now.TimeOfDay.TotalSeconds), reply.Task, default);
        scheduler.AdvanceBy(TimeSpan.FromSeconds(1.5));
        loop.Schedule(() => reply.SetResult(7));
        scheduler.AdvanceBy(TimeSpan.FromMilliseconds(1));
        var completedAtOnce = request.IsCompleted;
        scheduler.AdvanceBy(TimeSpan.FromSeconds(5));

        Assert.True(completedAtOnce);
        Assert.Equal(7, await request);
        Assert.Equal([0, 1], sends.Select(s => Math.Round(s, 3)));
    }

    [Fact]
    public void ReferenceDefaults_SendAtZeroOneTwoSeconds_FailAtThree()
    {
        var scheduler = new TestScheduler();
        var runner = new RequestRunner(RequestRetryOptions.Default, ContextFreeScheduler.Wrap(scheduler));
        var sends = new List<double>();

        var request = runner.RunAsync(_ => sends.Add(scheduler.Now.TimeOfDay.TotalSeconds), new TaskCompletionSource<bool>().Task, default);
        scheduler.AdvanceBy(TimeSpan.FromSeconds(2.99));
        Assert.False(request.IsCompleted);
        scheduler.AdvanceBy(TimeSpan.FromSeconds(0.02));

        Assert.Equal([0, 1, 2], sends.Select(s => Math.Round(s, 3)));
        Assert.True(request.IsFaulted);
    }

    [Fact]
    public void Cancelled_StopsResendingAndCancels()
    {
        var scheduler = new TestScheduler();
        var loop = ContextFreeScheduler.Wrap(scheduler);
        var runner = new RequestRunner(RequestRetryOptions.Default with { MaxAttempts = 10 }, loop);
        using var cancellation = new CancellationTokenSource();
        var sends = 0;

        var request = runner.RunAsync(_ => sends++, new TaskCompletionSource<bool>().Task, cancellation.Token);
        scheduler.AdvanceBy(TimeSpan.FromSeconds(2.5));
        loop.Schedule(cancellation.Cancel);
        scheduler.AdvanceBy(TimeSpan.FromSeconds(10));

        Assert.True(request.IsCanceled);
        Assert.Equal(3, sends);
    }

    [Fact]
    public void FromAThreadWithASynchronizationContext_AttemptsStillRunOnTheScheduler()
    {
        using var scope = Time.SynchronizationContextScope.Of(new SynchronizationContext());
        var scheduler = new TestScheduler();
        var runner = new RequestRunner(RequestRetryOptions.Default, ContextFreeScheduler.Wrap(scheduler));
        var threads = new List<int>();

        var request = runner.RunAsync(_ => threads.Add(Environment.CurrentManagedThreadId), new TaskCompletionSource<bool>().Task, default);
        scheduler.AdvanceBy(TimeSpan.FromSeconds(4));

        Assert.Equal(3, threads.Count);
        Assert.All(threads, t => Assert.Equal(Environment.CurrentManagedThreadId, t));
        Assert.True(request.IsFaulted);
    }
}
