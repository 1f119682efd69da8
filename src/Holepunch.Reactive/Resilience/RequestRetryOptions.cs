using Polly;

namespace Holepunch.Reactive.Resilience;

/// <summary>
/// How a request that expects a reply is re-sent: registration, join, punch inquiries, peer checks and reliable
/// messages. The defaults are the reference client's: wait 1 s for the reply, 3 attempts, no backoff.
/// </summary>
public sealed record RequestRetryOptions
{
    /// <summary>How long each attempt waits for its reply before the next attempt.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How many times the request is sent in all before it times out.</summary>
    /// <value>The default value is 3.</value>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>The pause between an attempt's timeout and the next attempt (the base of the backoff).</summary>
    /// <value>The default value is zero.</value>
    public TimeSpan Delay { get; init; } = TimeSpan.Zero;

    /// <summary>How the pause grows from attempt to attempt.</summary>
    /// <value>The default value is <see cref="DelayBackoffType.Constant"/>.</value>
    public DelayBackoffType BackoffType { get; init; } = DelayBackoffType.Constant;

    /// <summary>Whether to randomise the pauses (Polly's decorrelated jitter), so that many clients do not resend in step.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool UseJitter { get; init; }

    /// <summary>The longest pause, whatever the backoff says; <see langword="null"/> for no cap.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public TimeSpan? MaxDelay { get; init; }

    /// <summary>The reference client's timing: 1 s, 3 attempts.</summary>
    public static RequestRetryOptions Default { get; } = new();

    /// <summary>The worst-case time from the first send to giving up, without jitter.</summary>
    public TimeSpan TotalTimeout
    {
        get
        {
            var total = TimeSpan.Zero;
            for (var attempt = 0; attempt < MaxAttempts; attempt++)
            {
                total += ReplyTimeout;
                if (attempt + 1 < MaxAttempts)
                {
                    var pause = BackoffType switch
                    {
                        DelayBackoffType.Linear => Delay * (attempt + 1),
                        DelayBackoffType.Exponential => Delay * Math.Pow(2, attempt),
                        _ => Delay,
                    };
                    total += MaxDelay is { } max && pause > max ? max : pause;
                }
            }

            return total;
        }
    }

    internal IEnumerable<string> Validate(string name)
    {
        if (ReplyTimeout <= TimeSpan.Zero)
        {
            yield return $"{name}.{nameof(ReplyTimeout)} must be positive (was {ReplyTimeout}).";
        }

        if (MaxAttempts is < 1 or > 100)
        {
            yield return $"{name}.{nameof(MaxAttempts)} must be 1..100 (was {MaxAttempts}).";
        }

        if (Delay < TimeSpan.Zero || Delay > TimeSpan.FromDays(1))
        {
            yield return $"{name}.{nameof(Delay)} must be 0..1 day (was {Delay}).";
        }

        if (MaxDelay is { } max && max <= TimeSpan.Zero)
        {
            yield return $"{name}.{nameof(MaxDelay)} must be positive (was {max}).";
        }
    }
}
