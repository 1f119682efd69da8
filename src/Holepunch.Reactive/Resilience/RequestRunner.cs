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
    }

    public RequestRetryOptions Options { get; }

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
            // Without pauses the pipeline is always inside an attempt, whose wait completes with the reply: the pipeline
            // then ends by itself, inline, so there is nothing to stop and nothing to race (no linked token, no WhenAny).
            await _pipeline.ExecuteAsync(
                static async (s, token) => await s.RunOneAsync(token).ConfigureAwait(false),
                state,
                cancellationToken).ConfigureAwait(false);
            return await reply.ConfigureAwait(false);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var attempts = _pipeline.ExecuteAsync(
            static async (s, token) => await s.RunOneAsync(token).ConfigureAwait(false),
            state,
            stop.Token).AsTask();

        if (await Task.WhenAny(reply, attempts).ConfigureAwait(false) != reply)
        {
            // The pipeline gave up (timeout) or was cancelled; an attempt only succeeds once the reply is in.
            await attempts.ConfigureAwait(false);
            return await reply.ConfigureAwait(false);
        }

        if (!attempts.IsCompleted)
        {
            // The reply came during a pause between attempts: stop the pipeline, without waiting for it. An execution
            // whose token is cancelled during its retry delay on the scheduler's TimeProvider was seen never to finish
            // (Polly.Core 8.9.1, virtual time): waiting for it here hung the request although its reply was in.
            stop.Cancel();
            _ = attempts.ContinueWith(
                static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously | TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }

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

    private sealed class Attempts<T>(RequestRunner runner, Action<int> send, Task<T> reply)
    {
        private int _attempt;

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
