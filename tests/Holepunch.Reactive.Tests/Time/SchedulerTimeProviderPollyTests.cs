using System.Reactive;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Reactive.Threading.Tasks;
using Holepunch.Reactive.Testing;
using Holepunch.Reactive.Time;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Holepunch.Reactive.Tests.Time;

/// <summary>
/// Polly v8 on the shared virtual clock: retry delays come from <see cref="SchedulerTimeProvider"/>, each attempt
/// awaits an Rx timeout on the same <see cref="TestScheduler"/>, and everything runs inline on the thread that calls
/// <c>AdvanceBy</c>. These tests are synchronous on purpose: they never yield, so the pipeline is driven by the
/// scheduler alone.
/// </summary>
public class SchedulerTimeProviderPollyTests
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(1);

    private readonly TestScheduler _scheduler = new();
    private readonly List<TimeSpan> _attempts = [];
    private readonly List<int> _threads = [];

    [Fact]
    public void Retry_AttemptsAwaitingAnRxTimeout_StartAt0_1500_3500_6500()
    {
        using var _ = SynchronizationContextScope.None();
        var pipeline = RetryPipeline();

        var execution = pipeline.ExecuteAsync(async _ =>
        {
            RecordAttempt();
            await Observable.Never<Unit>().Timeout(ReplyTimeout, _scheduler);
        });
        _scheduler.AdvanceBy(TimeSpan.FromMilliseconds(7499));

        Assert.Equal([At(0), At(1500), At(3500), At(6500)], _attempts);
        Assert.False(execution.IsCompleted);

        _scheduler.AdvanceBy(TimeSpan.FromMilliseconds(1));

        Assert.IsType<TimeoutException>(ErrorOf(execution));
        Assert.All(_threads, thread => Assert.Equal(Environment.CurrentManagedThreadId, thread));
    }

    [Theory]
    [InlineData(AwaitStyle.Observable)]
    [InlineData(AwaitStyle.ToTask)]
    [InlineData(AwaitStyle.ToTaskConfigureAwaitFalse)]
    public void Retry_EveryWayOfAwaitingTheAttempt_LandsOnTheSameTicks(AwaitStyle style)
    {
        using var _ = SynchronizationContextScope.None();
        var pipeline = RetryPipeline();

        var execution = pipeline.ExecuteAsync(async token =>
        {
            RecordAttempt();
            var reply = Observable.Never<Unit>().Timeout(ReplyTimeout, _scheduler);
            switch (style)
            {
                case AwaitStyle.Observable:
                    await reply;
                    break;
                case AwaitStyle.ToTask:
                    await reply.ToTask(token);
                    break;
                default:
                    await reply.ToTask(token).ConfigureAwait(false);
                    break;
            }
        });
        _scheduler.AdvanceBy(TimeSpan.FromSeconds(10));

        Assert.Equal([At(0), At(1500), At(3500), At(6500)], _attempts);
        Assert.IsType<TimeoutException>(ErrorOf(execution));
    }

    [Fact]
    public void Retry_ReplyDuringTheThirdAttempt_CompletesThenWithTheReply()
    {
        using var _ = SynchronizationContextScope.None();
        var replies = new Subject<string>();
        _scheduler.ScheduleAbsolute(At(3700).Ticks, () => replies.OnNext("ack"));
        var pipeline = RetryPipeline();
        var completedAt = TimeSpan.MinValue;

        var execution = pipeline.ExecuteAsync(async _ =>
        {
            RecordAttempt();
            var reply = await replies.FirstAsync().Timeout(ReplyTimeout, _scheduler);
            completedAt = _scheduler.Now - DateTimeOffset.MinValue;
            return reply;
        });
        _scheduler.AdvanceBy(TimeSpan.FromSeconds(10));

        Assert.Equal([At(0), At(1500), At(3500)], _attempts);
        Assert.Equal("ack", ResultOf(execution));
        Assert.Equal(At(3700), completedAt);
    }

    [Fact]
    public void Timeout_OfAnAttemptThatNeverAnswers_FiresAtExactlyItsVirtualDuration()
    {
        using var _ = SynchronizationContextScope.None();
        var pipeline = new ResiliencePipelineBuilder { TimeProvider = new SchedulerTimeProvider(_scheduler) }
            .AddTimeout(TimeSpan.FromSeconds(2))
            .Build();

        var execution = pipeline.ExecuteAsync(async token => await Observable.Never<Unit>().ToTask(token));
        _scheduler.AdvanceBy(TimeSpan.FromSeconds(2) - TimeSpan.FromTicks(1));
        Assert.False(execution.IsCompleted);

        _scheduler.AdvanceBy(1);

        Assert.IsType<TimeoutRejectedException>(ErrorOf(execution));
    }

    /// <summary>
    /// The trap: when the thread that advances the scheduler has a SynchronizationContext (xUnit's, a UI's, Godot's),
    /// an attempt that awaits the observable resumes through that context instead of inline: after <c>AdvanceBy</c>
    /// has returned, off the scheduler, and it misses its ticks. (Here the context keeps the continuation and never
    /// runs it, so the test stays deterministic.)
    /// </summary>
    [Fact]
    public void Retry_DrivenFromAThreadWithASynchronizationContext_ResumesThroughTheContextNotOnTheScheduler()
    {
        var context = new QueueingSynchronizationContext();
        using var _ = SynchronizationContextScope.Of(context);
        var pipeline = RetryPipeline();

        var execution = pipeline.ExecuteAsync(async _ =>
        {
            RecordAttempt();
            await Observable.Never<Unit>().Timeout(ReplyTimeout, _scheduler);
        });
        _scheduler.AdvanceBy(TimeSpan.FromSeconds(10));

        Assert.Equal([At(0)], _attempts);
        Assert.False(execution.IsCompleted);
        Assert.Equal(1, context.Posted);
    }

    /// <summary>
    /// Why <c>ConfigureAwait(false)</c> does not help: the runtime inlines a continuation only where no
    /// SynchronizationContext (other than the base one) is current; elsewhere it queues it to the thread pool.
    /// </summary>
    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public async Task ConfigureAwaitFalseContinuation_RunsInlineOnlyWithoutASynchronizationContext(bool withContext, bool expectedInline)
    {
        var testThread = Environment.CurrentManagedThreadId;
        var completing = 1;
        var ranInline = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var source = new TaskCompletionSource();
        _ = ContinueAfter(source.Task, () => ranInline.SetResult(Volatile.Read(ref completing) == 1 && Environment.CurrentManagedThreadId == testThread));

        using (withContext ? SynchronizationContextScope.Of(new QueueingSynchronizationContext()) : SynchronizationContextScope.None())
        {
            source.SetResult();
            Volatile.Write(ref completing, 0);
        }

        // Bounded: the queued continuation runs on the thread pool.
        Assert.Equal(expectedInline, await ranInline.Task.WaitAsync(TimeSpan.FromSeconds(5)));

        static async Task ContinueAfter(Task task, Action then)
        {
            await task.ConfigureAwait(false);
            then();
        }
    }

    public enum AwaitStyle
    {
        Observable,
        ToTask,
        ToTaskConfigureAwaitFalse,
    }

    private ResiliencePipeline RetryPipeline() =>
        new ResiliencePipelineBuilder { TimeProvider = new SchedulerTimeProvider(_scheduler) }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<TimeoutException>(),
                Delay = TimeSpan.FromMilliseconds(500),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                MaxRetryAttempts = 3,
            })
            .Build();

    /// <summary>The result of an execution that must have completed already: nothing here waits.</summary>
    private static T ResultOf<T>(ValueTask<T> execution)
    {
        Assert.True(execution.IsCompletedSuccessfully, "The execution has not completed successfully.");
        return execution.Result;
    }

    /// <summary>The error of an execution that must have failed already: nothing here waits.</summary>
    private static Exception ErrorOf(ValueTask execution) => ErrorOf(execution.AsTask());

    private static Exception ErrorOf<T>(ValueTask<T> execution) => ErrorOf(execution.AsTask());

    private static Exception ErrorOf(Task execution)
    {
        Assert.True(execution.IsFaulted, "The execution has not failed.");
        return execution.Exception!.InnerException!;
    }

    private void RecordAttempt()
    {
        _attempts.Add(TimeSpan.FromTicks(_scheduler.Clock));
        _threads.Add(Environment.CurrentManagedThreadId);
    }

    private static TimeSpan At(int milliseconds) => TimeSpan.FromMilliseconds(milliseconds);

    /// <summary>Keeps what is posted to it and never runs it, so the test stays deterministic.</summary>
    private sealed class QueueingSynchronizationContext : SynchronizationContext
    {
        public int Posted { get; private set; }

        public override void Post(SendOrPostCallback d, object? state) => Posted++;
    }
}
