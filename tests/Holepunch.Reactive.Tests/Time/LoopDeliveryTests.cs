using System.Reactive.Concurrency;
using System.Reactive.Subjects;
using Holepunch.Reactive.Time;

namespace Holepunch.Reactive.Tests.Time;

public sealed class LoopDeliveryTests
{
    [Fact]
    public void NotificationsOnAnIdleLoop_RunOnTheLoopBeforeOnNextReturns_InOrder()
    {
        using var loop = new InlineEventLoop(error => Assert.Fail(error.ToString()));
        using var source = new Subject<int>();
        var seen = new List<(int Value, bool OnLoop)>();
        using var subscription = source.SubscribeOnLoop(loop, v => seen.Add((v, loop.IsOnLoop)), _ => { }, () => { });

        source.OnNext(1);
        var afterFirst = seen.Count;
        source.OnNext(2);

        Assert.Equal(1, afterFirst);
        Assert.Equal([(1, true), (2, true)], seen);
    }

    [Fact]
    public void NotificationsWhileTheLoopIsBusy_RunAfterTheCurrentItem_InOrder()
    {
        using var loop = new InlineEventLoop(error => Assert.Fail(error.ToString()));
        using var source = new Subject<string>();
        var seen = new List<string>();
        using var subscription = source.SubscribeOnLoop(loop, seen.Add, e => seen.Add("error " + e.Message), () => seen.Add("completed"));

        loop.Schedule(() =>
        {
            source.OnNext("a");
            source.OnNext("b");
            source.OnError(new InvalidOperationException("boom"));
            seen.Add("item");
        });

        Assert.Equal(["item", "a", "b", "error boom"], seen);
    }

    [Fact]
    public void Completion_IsDeliveredOnTheLoop()
    {
        using var loop = new InlineEventLoop(error => Assert.Fail(error.ToString()));
        using var source = new Subject<int>();
        var completedOnLoop = false;
        using var subscription = source.SubscribeOnLoop(loop, _ => { }, _ => { }, () => completedOnLoop = loop.IsOnLoop);

        source.OnCompleted();

        Assert.True(completedOnLoop);
    }
}
