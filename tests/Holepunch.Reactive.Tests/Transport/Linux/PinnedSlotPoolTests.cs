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
    public void Pool_KeepsNoMoreThanItsLimit()
    {
        var pool = new PinnedSlotPool();
        var arrays = Enumerable.Range(0, 5).Select(_ => pool.Rent(1 << 20)).ToList();
        foreach (var array in arrays)
        {
            pool.Return(array);
        }

        // Four of the 1 MiB arrays fit the 4 MiB limit; the fifth is left to the GC.
        Assert.Equal(PinnedSlotPool.MaxRetainedBytes, pool.RetainedBytes);
        Assert.Equal(4, pool.Held(1 << 20));
    }
}
