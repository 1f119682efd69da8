namespace Holepunch.Reactive.Benchmarks.Load;

/// <summary>
/// Messages received, counted by the receiving side, that a sender can wait on without spinning: the receiver signals
/// only when a sender is waiting and the count has reached what it waits for, so counting stays one interlocked
/// increment and a read, and the waiting sender leaves both cores to the code being measured.
/// </summary>
internal sealed class DeliveryCounter : IDisposable
{
    private const long NobodyWaits = long.MaxValue;

    // No spinning before blocking: a spinning sender takes a core from the receiver on a 2-core machine.
    private readonly ManualResetEventSlim _reached = new(initialState: false, spinCount: 0);
    private long _count;
    private long _wakeAt = NobodyWaits;

    public long Count => Interlocked.Read(ref _count);

    /// <summary>Counts one message; wakes the sender if it waits for this count.</summary>
    public void Add()
    {
        // Both sides use full fences (the increment here, the exchange in WaitFor): either this sees the target, or
        // the sender sees the new count before it blocks.
        var count = Interlocked.Increment(ref _count);
        if (count >= Volatile.Read(ref _wakeAt) && Interlocked.Exchange(ref _wakeAt, NobodyWaits) != NobodyWaits)
        {
            _reached.Set();
        }
    }

    /// <summary>Blocks until <see cref="Count"/> reaches <paramref name="target"/> or the timeout passes; whether it did.</summary>
    /// <remarks>A late signal from an earlier wait can end a wait early: callers check and wait again.</remarks>
    public bool WaitFor(long target, TimeSpan timeout)
    {
        _reached.Reset();
        Interlocked.Exchange(ref _wakeAt, target);
        if (Count < target)
        {
            _reached.Wait(timeout);
        }

        Interlocked.Exchange(ref _wakeAt, NobodyWaits);
        return Count >= target;
    }

    public void Dispose() => _reached.Dispose();
}
