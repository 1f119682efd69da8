using System.Collections.Concurrent;

namespace Holepunch.Reactive.Transport.Linux;

/// <summary>
/// The pinned receive-slot arrays of <see cref="BatchedReceiveLoop"/>s, kept when a loop ends or outgrows them, for the
/// next loop that needs the same length. Every such array is larger than 85,000 bytes, and each new one counts towards a
/// full collection: without the pool a process that opens and closes sockets (a client a match, a test suite, the punch
/// benchmark) ran a gen-2 collection every second or so. At most <see cref="MaxRetainedBytes"/> are kept; the rest the
/// GC frees as before. As with any pooled buffer, a payload is valid only while it is being delivered.
/// </summary>
internal sealed class PinnedSlotPool
{
    /// <summary>The bytes kept for reuse at most: four sockets' full batches at the default maximum datagram size.</summary>
    public const long MaxRetainedBytes = 4L << 20;

    private readonly ConcurrentDictionary<int, ConcurrentStack<byte[]>> _free = new();
    private long _retained;

    /// <summary>The pool of the process's receive loops.</summary>
    public static PinnedSlotPool Shared { get; } = new();

    /// <summary>The bytes held for reuse now.</summary>
    public long RetainedBytes => Interlocked.Read(ref _retained);

    /// <summary>How many arrays of <paramref name="length"/> bytes are held for reuse now.</summary>
    public int Held(int length) => _free.TryGetValue(length, out var arrays) ? arrays.Count : 0;

    /// <summary>A pinned array of <paramref name="length"/> bytes (its contents undefined): one kept before, or a new one.</summary>
    public byte[] Rent(int length)
    {
        if (_free.TryGetValue(length, out var arrays) && arrays.TryPop(out var array))
        {
            Interlocked.Add(ref _retained, -length);
            return array;
        }

        return GC.AllocateUninitializedArray<byte>(length, pinned: true);
    }

    /// <summary>Keeps <paramref name="array"/> (from <see cref="Rent"/>, no longer used) for reuse, unless the pool is full.</summary>
    public void Return(byte[] array)
    {
        if (Interlocked.Add(ref _retained, array.Length) > MaxRetainedBytes)
        {
            Interlocked.Add(ref _retained, -array.Length);
            return;
        }

        _free.GetOrAdd(array.Length, static _ => new ConcurrentStack<byte[]>()).Push(array);
    }
}
