namespace Holepunch.Reactive.Resilience;

/// <summary>One attempt's wait for its reply: completes with the reply, or times out at <see cref="Deadline"/>, or is cancelled.</summary>
internal sealed class ReplyWaiter(DateTimeOffset deadline) : TaskCompletionSource, IReplyDeadline
{
    public DateTimeOffset Deadline { get; } = deadline;

    public CancellationTokenRegistration Registration { get; set; }

    public bool IsSettled => Task.IsCompleted;

    /// <summary>The reply task completed: pass its outcome on.</summary>
    public void Complete(Task reply)
    {
        var done = reply.Status switch
        {
            TaskStatus.RanToCompletion => TrySetResult(),
            TaskStatus.Canceled => TrySetCanceled(),
            _ => TrySetException(reply.Exception!.InnerExceptions),
        };
        if (done)
        {
            Registration.Dispose();
        }
    }

    /// <summary>The deadline passed first.</summary>
    public void Expire()
    {
        if (TrySetException(new TimeoutException("No reply within the reply timeout.")))
        {
            Registration.Dispose();
        }
    }
}
