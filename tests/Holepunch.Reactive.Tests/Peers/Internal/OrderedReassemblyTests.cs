using Holepunch.Reactive.Peers.Internal;
using Holepunch.Reactive.Testing;

namespace Holepunch.Reactive.Tests.Peers.Internal;

public sealed class OrderedReassemblyTests
{
    [Fact]
    public void OutOfOrder_IsHeldUntilTheGapFills()
    {
        var scheduler = new TestScheduler();
        var delivered = new List<int>();
        using var ordered = new OrderedReassembly<int>(scheduler, TimeSpan.FromSeconds(5), delivered.Add);

        ordered.Accept(1, 1);
        ordered.Accept(2, 2);
        Assert.Empty(delivered);
        ordered.Accept(0, 0);

        Assert.Equal([0, 1, 2], delivered);
        Assert.Equal(0, ordered.HeldCount);
    }

    [Fact]
    public void GapThatNeverFills_IsSkippedAfterTheGapTimeout()
    {
        var scheduler = new TestScheduler();
        var delivered = new List<int>();
        using var ordered = new OrderedReassembly<int>(scheduler, TimeSpan.FromSeconds(5), delivered.Add);

        ordered.Accept(0, 0);
        ordered.Accept(2, 2);
        ordered.Accept(3, 3);
        scheduler.AdvanceBy(TimeSpan.FromSeconds(4.9));
        Assert.Equal([0], delivered);
        scheduler.AdvanceBy(TimeSpan.FromSeconds(0.2));

        Assert.Equal([0, 2, 3], delivered);
        ordered.Accept(1, 1); // late after the skip: delivered rather than lost
        Assert.Equal([0, 2, 3, 1], delivered);
    }

    [Fact]
    public void Dispose_CancelsTheGapTimer()
    {
        var scheduler = new TestScheduler();
        var delivered = new List<int>();
        var ordered = new OrderedReassembly<int>(scheduler, TimeSpan.FromSeconds(5), delivered.Add);
        ordered.Accept(3, 3);

        ordered.Dispose();
        scheduler.AdvanceBy(TimeSpan.FromSeconds(10));

        Assert.Empty(delivered);
    }
}
