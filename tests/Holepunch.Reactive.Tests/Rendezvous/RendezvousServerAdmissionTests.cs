using System.Net;
using Holepunch.Reactive.Rendezvous;
using static Holepunch.Reactive.Tests.Rendezvous.RendezvousServerHarness;

namespace Holepunch.Reactive.Tests.Rendezvous;

public sealed class RendezvousServerAdmissionTests
{
    private static readonly IPEndPoint First = EndPoint("203.0.113.5:40000");
    private static readonly IPEndPoint Second = EndPoint("198.51.100.7:50000");
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    private static void Limit(RendezvousServerOptions options)
    {
        options.SourceTokenLimit = 3;
        options.SourceTokensPerPeriod = 2;
        options.SourceReplenishmentPeriod = Period;
    }

    [Fact]
    public void BurstOverTheLimit_DropsTheExcessFromThatSourceOnly()
    {
        using var harness = new RendezvousServerHarness(Limit);

        for (var i = 0; i < 5; i++)
        {
            harness.Receive(Join("joiner", "room"), First);
        }

        harness.Receive(Join("other", "room"), Second);
        harness.Run();

        var sent = harness.TakeSent();
        Assert.Equal(3, sent.Count(s => s.To.Equals(First)));
        Assert.Equal(1, sent.Count(s => s.To.Equals(Second)));
        Assert.Equal(2, harness.Server.Counters.Dropped(RendezvousDropReason.RateLimited));
        Assert.Equal(6, harness.Server.Counters.DatagramsReceived);
    }

    [Fact]
    public void OtherPortOfTheSameAddress_SharesTheLimit()
    {
        using var harness = new RendezvousServerHarness(Limit);

        for (var port = 40000; port < 40005; port++)
        {
            harness.Receive(Join("joiner", "room"), new IPEndPoint(First.Address, port));
        }

        harness.Run();
        Assert.Equal(3, harness.TakeSent().Length);
        Assert.Equal(2, harness.Server.Counters.Dropped(RendezvousDropReason.RateLimited));
    }

    [Fact]
    public void TokensComeBack_AfterEachReplenishmentPeriodInVirtualTime()
    {
        using var harness = new RendezvousServerHarness(Limit);
        for (var i = 0; i < 3; i++)
        {
            harness.Receive(Join("joiner", "room"), First);
        }

        harness.Run();
        harness.Scheduler.AdvanceTo(Period.Ticks - 1);
        harness.Receive(Join("joiner", "room"), First);
        Assert.Equal(1, harness.Server.Counters.Dropped(RendezvousDropReason.RateLimited));

        // The refill runs at exactly one period: two tokens come back, not three.
        harness.Scheduler.AdvanceTo(Period.Ticks);
        for (var i = 0; i < 3; i++)
        {
            harness.Receive(Join("joiner", "room"), First);
        }

        harness.Run();
        Assert.Equal(5, harness.TakeSent().Length);
        Assert.Equal(2, harness.Server.Counters.Dropped(RendezvousDropReason.RateLimited));
    }

    [Fact]
    public void TooManySources_DropsNewSourcesUntilIdleOnesAreForgotten()
    {
        using var harness = new RendezvousServerHarness(o =>
        {
            o.MaxSources = 2;
            o.SourceIdleTimeout = TimeSpan.FromSeconds(5);
        });
        var third = EndPoint("192.0.2.77:1234");
        harness.Handle(Join("a", "room"), First);
        harness.Handle(Join("b", "room"), Second);

        harness.Handle(Join("c", "room"), third);
        Assert.Equal(1, harness.Server.Counters.Dropped(RendezvousDropReason.TooManySources));

        harness.Scheduler.AdvanceBy(TimeSpan.FromSeconds(5));
        harness.Handle(Join("c", "room"), third);
        Assert.Equal(third, harness.Sent[^1].To);
        Assert.Equal(3, harness.Sent.Count);
    }

    [Fact]
    public void SourceSeenRecently_IsNotForgotten()
    {
        using var harness = new RendezvousServerHarness(o =>
        {
            o.MaxSources = 1;
            o.SourceIdleTimeout = TimeSpan.FromSeconds(5);
        });

        for (var second = 0; second < 10; second++)
        {
            harness.Handle(Join("a", "room"), First);
            harness.Handle(Join("b", "room"), Second);
            harness.Scheduler.AdvanceBy(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(10, harness.Sent.Count(s => s.To.Equals(First)));
        Assert.Equal(10, harness.Server.Counters.Dropped(RendezvousDropReason.TooManySources));
    }

    [Fact]
    public void MorePendingThanTheBound_DropsTheExcessAsOverload()
    {
        using var harness = new RendezvousServerHarness(o => o.MaxPendingDatagrams = 2);

        harness.Receive(Join("a", "room"), First);
        harness.Receive(Join("b", "room"), Second);
        harness.Receive(Join("c", "room"), EndPoint("192.0.2.77:1234"));
        harness.Run();
        harness.Handle(Join("d", "room"), EndPoint("192.0.2.78:1234"));

        Assert.Equal(3, harness.TakeSent().Length);
        Assert.Equal(1, harness.Server.Counters.Dropped(RendezvousDropReason.Overloaded));
    }

    [Fact]
    public void RateLimitedGarbage_CostsTokensToo()
    {
        using var harness = new RendezvousServerHarness(Limit);

        for (var i = 0; i < 3; i++)
        {
            harness.Receive("garbage", First);
        }

        harness.Handle(Register("room"), First);

        Assert.Empty(harness.Sent);
        Assert.Equal((3, 1), (harness.Server.Counters.Dropped(RendezvousDropReason.Malformed), harness.Server.Counters.Dropped(RendezvousDropReason.RateLimited)));
    }

    [Fact]
    public void FailedSend_IsCounted()
    {
        using var harness = new RendezvousServerHarness();
        harness.Transport.SendSucceeds = false;

        harness.Handle(Register("room"), First);

        Assert.Equal((1, 0), (harness.Server.Counters.SendFailures, harness.Server.Counters.DatagramsSent));
        Assert.True(harness.Server.Registrations.Lookup("room").HasValue);
    }
}
