using System.Reactive.Concurrency;
using Holepunch.Reactive.Time;
using Polly;
using Polly.Retry;

namespace Holepunch.Reactive.Resilience;

/// <summary>
/// Sends a request again and again until its reply arrives: a Polly retry pipeline on the client's clock whose
/// attempts each send once and then wait for the reply until the reply timeout (see <see cref="ReplyDeadlines"/>).
/// </summary>
/// <remarks>
/// The reply is listened for over the whole operation, not only inside an attempt's window: a reply that
/// arrives late (during a backoff pause, or for an earlier copy) completes the request at once and stops the
/// pipeline. Every continuation runs inline on the thread that completes it — the scheduler's — so in virtual
/// time each attempt lands exactly on its tick.
/// </remarks>
internal sealed class RequestRunner
{
    private readonly ResiliencePipeline _pipeline;
    private readonly IScheduler _scheduler;
    private readonly TimeSpan _replyTimeout;
    private readonly ReplyDeadlines _deadlines;
    private readonly bool _pausesBetweenAttempts;
    private readonly ResiliencePipeline? _resends;

    public RequestRunner(RequestRetryOptions options, IScheduler scheduler, Func<double>? randomizer = null)
    {
        _scheduler = scheduler;
        _replyTimeout = options.ReplyTimeout;
        _deadlines = new ReplyDeadlines(scheduler);
        _pausesBetweenAttempts = options.MaxAttempts > 1 && options.Delay > TimeSpan.Zero;
        Options = options;
        var builder = new ResiliencePipelineBuilder { TimeProvider = new SchedulerTimeProvider(scheduler) };
        if (options.MaxAttempts > 1)
        {
            var retry = new RetryStrategyOptions
            {
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is TimeoutException),
                MaxRetryAttempts = options.MaxAttempts - 1,
                Delay = options.Delay,
                BackoffType = options.BackoffType,
                UseJitter = options.UseJitter,
                MaxDelay = options.MaxDelay,
            };
            if (randomizer is not null)
            {
                retry.Randomizer = randomizer;
            }

            builder.AddRetry(retry);
        }

        _pipeline = builder.Build();
        if (!_pausesBetweenAttempts && options.MaxAttempts > 1)
        {
            // Without pauses every attempt is alike, so the first can run outside Polly (most requests are answered
            // within it) and the rest, only when it timed out, in a pipeline of one attempt fewer: the same attempts at
            // the same instants.
            var resends = new ResiliencePipelineBuilder { TimeProvider = new SchedulerTimeProvider(scheduler) };
            if (options.MaxAttempts > 2)
            {
                resends.AddRetry(new RetryStrategyOptions
                {
                    ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is TimeoutException),
                    MaxRetryAttempts = options.MaxAttempts - 2,
                    Delay = TimeSpan.Zero,
                });
            }

            _resends = resends.Build();
        }
    }

    public RequestRetryOptions Options { get; }

    /// <summary>
    /// Whether a caller may send a request's first attempt itself, watch it with <see cref="WatchFirstAttempt"/> and
    /// leave only the rest to <see cref="ResendAsync"/>: when there are no pauses between attempts, so the resends
    /// follow the first attempt's timeout at once, as they would in <see cref="RunAsync"/>.
    /// </summary>
    public bool LetsCallersSendTheFirstAttempt => !_pausesBetweenAttempts;

    /// <summary>The deadline of a first attempt sent now.</summary>
    public DateTimeOffset FirstAttemptDeadline => _scheduler.Now + _replyTimeout;

    /// <summary>Times out a first attempt the caller sent (see <see cref="LetsCallersSendTheFirstAttempt"/>) on the runner's one timer. Runs on the scheduler.</summary>
    public void WatchFirstAttempt(IReplyDeadline attempt) => _deadlines.Watch(attempt);

    /// <summary>
    /// The attempts after a first one that timed out (see <see cref="LetsCallersSendTheFirstAttempt"/>), as
    /// <see cref="RunAsync"/> makes them; faults with <see cref="TimeoutException"/> at once when there are none.
    /// </summary>
    public async Task<T> ResendAsync<T>(Action<int> send, Task<T> reply, CancellationToken cancellationToken)
    {
        if (reply.IsCompleted)
        {
            return await reply.ConfigureAwait(false);
        }

        if (_pausesBetweenAttempts)
        {
            throw new InvalidOperationException("With pauses between attempts the runner makes every attempt (RunAsync).");
        }

        if (_resends is null)
        {
            throw new TimeoutException("No reply to the only attempt.");
        }

        await _resends.ExecuteAsync(
            static async (s, token) => await s.RunOneAsync(token).ConfigureAwait(false),
            new Attempts<T>(this, send, reply, firstAttempt: 1),
            cancellationToken).ConfigureAwait(false);
        return await reply.ConfigureAwait(false);
    }

    /// <summary>Runs a request.</summary>
    /// <param name="send">Sends one attempt; gets the attempt's number, from 0.</param>
    /// <param name="reply">Completes when the reply arrives (must complete inline, not on another thread).</param>
    /// <param name="cancellationToken">Stops the request.</param>
    /// <returns>The reply; faults with <see cref="TimeoutException"/> when every attempt timed out.</returns>
    public async Task<T> RunAsync<T>(Action<int> send, Task<T> reply, CancellationToken cancellationToken)
    {
        if (reply.IsCompleted)
        {
            return await reply.ConfigureAwait(false);
        }

        var state = new Attempts<T>(this, send, reply);
        if (!_pausesBetweenAttempts)
        {
            // Without pauses the request is always inside an attempt, whose wait completes with the reply: it then ends
            // by itself, inline, so there is nothing to stop and nothing to race (no linked token, no WhenAny).
            if (_resends is null)
            {
                await _pipeline.ExecuteAsync(
                    static async (s, token) => await s.RunOneAsync(token).ConfigureAwait(false),
                    state,
                    cancellationToken).ConfigureAwait(false);
                return await reply.ConfigureAwait(false);
            }

            try
            {
                await state.RunOneAsync(cancellationToken).ConfigureAwait(false);
                return await reply.ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Not answered in time: Polly drives the resends.
            }

            return await ResendAsync(send, reply, cancellationToken).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var cancelled = new TaskCompletionSource<T>();
        using var registration = cancellationToken.Register(
            static s => ((TaskCompletionSource<T>)s!).TrySetCanceled(), cancelled, useSynchronizationContext: false);

        // The pipeline may outlive this call (see below): it owns its token source and disposes it when it ends.
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var attempts = _pipeline.ExecuteAsync(
            static async (s, token) => await s.RunOneAsync(token).ConfigureAwait(false),
            state,
            stop.Token).AsTask();
        _ = attempts.ContinueWith(
            static (_, s) => ((CancellationTokenSource)s!).Dispose(), stop, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        var first = await Task.WhenAny(reply, attempts, cancelled.Task).ConfigureAwait(false);
        if (first == attempts)
        {
            // Every attempt timed out (this throws), or the last attempt saw the reply.
            await attempts.ConfigureAwait(false);
        }
        else if (first == cancelled.Task)
        {
            // An attempt in flight ends at once; a backoff pause under way is abandoned rather than awaited.
            try
            {
                stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The pipeline ended at the same moment.
            }

            return await cancelled.Task.ConfigureAwait(false);
        }

        // A reply stops nothing: the pipeline's next attempt, if any, sees it and ends without sending.
        return await reply.ConfigureAwait(false);
    }

    /// <summary>
    /// Completes when <paramref name="reply"/> does, faults with <see cref="TimeoutException"/> when the reply timeout
    /// passes first, or is cancelled. Runs on the scheduler.
    /// </summary>
    private Task WaitForReplyAsync(Task reply, CancellationToken cancellationToken)
    {
        var waiter = new ReplyWaiter(_scheduler.Now + _replyTimeout);
        if (cancellationToken.CanBeCanceled)
        {
            waiter.Registration = cancellationToken.UnsafeRegister(
                static (state, token) => ((ReplyWaiter)state!).TrySetCanceled(token), waiter);
        }

        _ = reply.ContinueWith(
            static (completed, state) => ((ReplyWaiter)state!).Complete(completed),
            waiter,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        if (!waiter.Task.IsCompleted)
        {
            _deadlines.Watch(waiter);
        }

        return waiter.Task;
    }

    private sealed class Attempts<T>(RequestRunner runner, Action<int> send, Task<T> reply, int firstAttempt = 0)
    {
        private int _attempt = firstAttempt;

        public async Task RunOneAsync(CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (reply.IsCompleted)
            {
                return;
            }

            send(_attempt++);
            await runner.WaitForReplyAsync(reply, cancellationToken).ConfigureAwait(false);
        }
    }
}
