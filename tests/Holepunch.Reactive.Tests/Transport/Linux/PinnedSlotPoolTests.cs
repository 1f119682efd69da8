using Holepunch.Reactive.Transport.Linux;

namespace Holepunch.Reactive.Tests.Transport.Linux;

public sealed class PinnedSlotPoolTests
{
    private const int Length = 128 * 1024;

    [Fact]
    public void ReturnedArray_IsRentedAgainForTheSameLength()
    {
        var pool = new PinnedSlotPool();
        var first = pool.Rent(Length);
        pool.Return(first);

        Assert.Equal(1, pool.Held(Length));
        Assert.Same(first, pool.Rent(Length));
        Assert.Equal(0, pool.RetainedBytes);
    }

    [Fact]
    public void ArrayOfAnotherLength_IsNotHandedOut()
    {
        var pool = new PinnedSlotPool();
        var small = pool.Rent(Length);
        pool.Return(small);

        var large = pool.Rent(2 * Length);

        Assert.NotSame(small, large);
        Assert.Equal(2 * Length, large.Length);
        Assert.Equal(1, pool.Held(Length));
    }

    [Fact]
    public void EachLength_KeepsAboutAMebibyte()
    {
        var pool = new PinnedSlotPool();
        ReturnMany(pool, Length, 10);
        ReturnMany(pool, 1 << 20, 3);

        // Eight 128 KiB arrays fit a length's 1 MiB, and one 1 MiB array: a length nobody asks for again cannot take
        // the room of the lengths in use.
        Assert.Equal(8, pool.Held(Length));
        Assert.Equal(1, pool.Held(1 << 20));
        Assert.Equal(2L << 20, pool.RetainedBytes);
    }

    [Fact]
    public void Pool_KeepsNoMoreThanItsLimitInAll()
    {
        var pool = new PinnedSlotPool();
        for (var i = 0; i < 12; i++)
        {
            ReturnMany(pool, (1 << 20) + (16 * i), 1);
        }

        Assert.InRange(pool.RetainedBytes, PinnedSlotPool.MaxRetainedBytes - (1 << 20) - 256, PinnedSlotPool.MaxRetainedBytes);
    }

    private static void ReturnMany(PinnedSlotPool pool, int length, int count)
    {
        var arrays = Enumerable.Range(0, count).Select(_ => pool.Rent(length)).ToList();
        foreach (var array in arrays)
        {
            pool.Return(array);
        }
    }
}
