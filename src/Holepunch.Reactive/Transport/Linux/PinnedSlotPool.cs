using System.Collections.Concurrent;

namespace Holepunch.Reactive.Transport.Linux;

/// <summary>
/// The pinned receive-slot arrays of <see cref="BatchedReceiveLoop"/>s, kept when a loop ends or outgrows them, for the
/// next loop that needs the same length. Every such array is larger than 85,000 bytes, and each new one counts towards a
/// full collection: without the pool a process that opens and closes sockets (a client a match, a test suite, the punch
/// benchmark) ran a gen-2 collection every second or so. Each length keeps at most <see cref="MaxBytesPerLength"/> (one
/// array at least), all lengths together at most <see cref="MaxRetainedBytes"/>; the rest the GC frees as before. As
/// with any pooled buffer, a payload is valid only while it is being delivered.
/// </summary>
internal sealed class PinnedSlotPool
{
    /// <summary>The bytes kept of one length at most: eight two-slot arrays at the default maximum datagram size.</summary>
    public const long MaxBytesPerLength = 1L << 20;

    /// <summary>The bytes kept for reuse at most.</summary>
    public const long MaxRetainedBytes = 8L << 20;

    private readonly ConcurrentDictionary<int, Kept> _kept = new();
    private long _retained;

    /// <summary>The pool of the process's receive loops.</summary>
    public static PinnedSlotPool Shared { get; } = new();

    /// <summary>The bytes held for reuse now.</summary>
    public long RetainedBytes => Interlocked.Read(ref _retained);

    /// <summary>How many arrays of <paramref name="length"/> bytes are held for reuse now.</summary>
    public int Held(int length) => _kept.TryGetValue(length, out var kept) ? Volatile.Read(ref kept.Count) : 0;

    /// <summary>A pinned array of <paramref name="length"/> bytes (its contents undefined): one kept before, or a new one.</summary>
    public byte[] Rent(int length)
    {
        if (_kept.TryGetValue(length, out var kept) && kept.Arrays.TryPop(out var array))
        {
            Interlocked.Decrement(ref kept.Count);
            Interlocked.Add(ref _retained, -length);
            return array;
        }

        return GC.AllocateUninitializedArray<byte>(length, pinned: true);
    }

    /// <summary>Keeps <paramref name="array"/> (from <see cref="Rent"/>, no longer used) for reuse, unless its length or the pool is full.</summary>
    public void Return(byte[] array)
    {
        var kept = _kept.GetOrAdd(array.Length, static _ => new Kept());
        var perLength = Math.Max(1, MaxBytesPerLength / Math.Max(1, array.Length));
        if (Interlocked.Increment(ref kept.Count) > perLength)
        {
            Interlocked.Decrement(ref kept.Count);
            return;
        }

        if (Interlocked.Add(ref _retained, array.Length) > MaxRetainedBytes)
        {
            Interlocked.Add(ref _retained, -array.Length);
            Interlocked.Decrement(ref kept.Count);
            return;
        }

        kept.Arrays.Push(array);
    }

    /// <summary>The arrays kept of one length, and how many (counted apart: a stack's count walks it).</summary>
    private sealed class Kept
    {
        public readonly ConcurrentStack<byte[]> Arrays = new();
        public int Count;
    }
}
