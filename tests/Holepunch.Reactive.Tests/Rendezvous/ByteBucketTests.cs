using Holepunch.Reactive.Rendezvous;

namespace Holepunch.Reactive.Tests.Rendezvous;

public sealed class ByteBucketTests
{
    private static readonly DateTimeOffset Start = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void NewBucket_IsFull_AndGivesItsBurstAtOnce()
    {
        var bucket = new ByteBucket(bytesPerSecond: 100, burst: 250, Start);

        Assert.True(bucket.TryTake(200, Start));
        Assert.True(bucket.TryTake(50, Start));
        Assert.False(bucket.TryTake(1, Start));
    }

    [Fact]
    public void RefusedTake_TakesNothing()
    {
        var bucket = new ByteBucket(100, 250, Start);

        Assert.False(bucket.TryTake(251, Start));

        Assert.Equal(250, bucket.Available(Start));
    }

    [Fact]
    public void Refill_FollowsTheClockExactly_UpToTheBurst()
    {
        var bucket = new ByteBucket(100, 250, Start);
        bucket.TryTake(250, Start);

        Assert.Equal(10, bucket.Available(Start.AddMilliseconds(100)));
        Assert.Equal(150, bucket.Available(Start.AddSeconds(1.5)));
        Assert.Equal(250, bucket.Available(Start.AddHours(10)));
    }

    [Fact]
    public void ClockGoingBackwards_RefillsNothing()
    {
        var bucket = new ByteBucket(100, 250, Start);
        bucket.TryTake(250, Start);

        Assert.Equal(0, bucket.Available(Start.AddSeconds(-5)));
        Assert.Equal(100, bucket.Available(Start.AddSeconds(1)));
    }

    [Fact]
    public void LargeRatesAndLongGaps_DoNotOverflow()
    {
        var bucket = new ByteBucket(int.MaxValue, int.MaxValue, Start);
        bucket.TryTake(int.MaxValue, Start);

        Assert.Equal(int.MaxValue, bucket.Available(Start.AddYears(100)));
    }
}
