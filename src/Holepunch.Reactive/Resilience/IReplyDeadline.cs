namespace Holepunch.Reactive.Resilience;

/// <summary>Something waiting for a reply until a deadline, watched by <see cref="ReplyDeadlines"/>.</summary>
internal interface IReplyDeadline
{
    /// <summary>When the wait times out.</summary>
    DateTimeOffset Deadline { get; }

    /// <summary>Whether the wait is over (answered, cancelled or expired): nothing left to time out.</summary>
    bool IsSettled { get; }

    /// <summary>The deadline passed first. Runs on the scheduler.</summary>
    void Expire();
}
