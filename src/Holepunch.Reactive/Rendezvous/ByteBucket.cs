namespace Holepunch.Reactive.Rendezvous;

/// <summary>
/// A token bucket of bytes, refilled from the server scheduler's clock as it is used (so it follows virtual time in
/// tests and needs no timer). Counts in byte-ticks (bytes × <see cref="TimeSpan.TicksPerSecond"/>), so refills are exact
/// integers. Used only on the server's scheduler.
/// </summary>
internal sealed class ByteBucket
{
    private readonly long _ratePerSecond;
    private readonly long _capacity;
    private readonly long _ticksToFill;
    private long _level;
    private long _refilledAt;

    /// <summary>A full bucket.</summary>
    /// <param name="bytesPerSecond">The refill rate.</param>
    /// <param name="burst">The capacity in bytes.</param>
    /// <param name="now">The scheduler's clock.</param>
    public ByteBucket(int bytesPerSecond, int burst, DateTimeOffset now)
    {
        _ratePerSecond = bytesPerSecond;
        _capacity = (long)burst * TimeSpan.TicksPerSecond;
        _ticksToFill = (_capacity / _ratePerSecond) + 1;
        _level = _capacity;
        _refilledAt = now.UtcTicks;
    }

    /// <summary>The bytes available now (for tests and diagnostics).</summary>
    public long Available(DateTimeOffset now)
    {
        Refill(now);
        return _level / TimeSpan.TicksPerSecond;
    }

    /// <summary>Takes <paramref name="bytes"/> if the bucket holds them.</summary>
    /// <returns>Whether they were taken; when not, the bucket is unchanged.</returns>
    public bool TryTake(int bytes, DateTimeOffset now)
    {
        Refill(now);
        var cost = (long)bytes * TimeSpan.TicksPerSecond;
        if (_level < cost)
        {
            return false;
        }

        _level -= cost;
        return true;
    }

    private void Refill(DateTimeOffset now)
    {
        var elapsed = now.UtcTicks - _refilledAt;
        if (elapsed <= 0)
        {
            return;
        }

        // Capped at the time to fill from empty, so the product cannot overflow.
        _level = Math.Min(_capacity, _level + (Math.Min(elapsed, _ticksToFill) * _ratePerSecond));
        _refilledAt = now.UtcTicks;
    }
}
