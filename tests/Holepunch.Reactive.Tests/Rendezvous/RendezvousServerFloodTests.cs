using System.Net;
using Holepunch.Reactive.Rendezvous;
using Xunit.Abstractions;
using static Holepunch.Reactive.Tests.Rendezvous.RendezvousServerHarness;

namespace Holepunch.Reactive.Tests.Rendezvous;

/// <summary>Floods in virtual time: from one source, and spread over many spoofed sources.</summary>
public sealed class RendezvousServerFloodTests(ITestOutputHelper output)
{
    private static readonly IPEndPoint Honest = EndPoint("203.0.113.5:40000");

    private static IPEndPoint Spoofed(int i) => new(new IPAddress([10, (byte)(i >> 16), (byte)(i >> 8), (byte)i]), 1000 + (i % 1000));

    [Fact]
    public void SpoofedFloodFromManySources_FillsTheSourceTable_NewcomerStillGetsIn()
    {
        using var harness = new RendezvousServerHarness(o => o.MaxSources = 100);
        for (var i = 0; i < 1_000; i++)
        {
            harness.Receive(Join("x", "nowhere"), Spoofed(i));
        }

        harness.Run();
        harness.Handle(Register("room"), Honest);
        Assert.DoesNotContain(harness.Sent, s => s.To.Equals(Honest));

        // One period later the flood's buckets are full again, and the honest host takes the place of one.
        harness.Scheduler.AdvanceBy(TimeSpan.FromSeconds(1));
        harness.Handle(Register("room"), Honest);

        Assert.Equal(Confirmation("room"), harness.Sent[^1].Json);
        output.WriteLine(harness.Server.Counters.ToString());
        Assert.Equal(901, harness.Server.Counters.Dropped(RendezvousDropReason.TooManySources));
    }

    [Fact]
    public void FloodOverManySources_IsBoundedByTheGlobalLimit_AndCounted()
    {
        using var harness = new RendezvousServerHarness(o =>
        {
            o.GlobalTokenLimit = 200;
            o.GlobalTokensPerPeriod = 100;
        });

        for (var second = 0; second < 5; second++)
        {
            for (var i = 0; i < 1_000; i++)
            {
                harness.Receive(Join("x", "nowhere"), Spoofed((second * 1_000) + i));
            }

            harness.Run();
            harness.Scheduler.AdvanceBy(TimeSpan.FromSeconds(1));
        }

        var counters = harness.Server.Counters;
        output.WriteLine(counters.ToString());
        Assert.Equal(200 + (4 * 100), counters.ErrorsSent);
        Assert.Equal(5_000 - 600, counters.Dropped(RendezvousDropReason.GlobalRateLimited));
    }

    [Fact]
    public void FloodFromOneSource_IsStoppedByItsBucket_OthersAreAnswered()
    {
        using var harness = new RendezvousServerHarness();
        var flooder = EndPoint("192.0.2.66:6666");
        for (var i = 0; i < 10_000; i++)
        {
            harness.Receive("""{"type":"registering-server"}""", flooder);
        }

        harness.Handle(Register("room"), Honest);

        Assert.Equal(Confirmation("room"), harness.Sent[^1].Json);
        Assert.Equal(10_000 - 20, harness.Server.Counters.Dropped(RendezvousDropReason.RateLimited));
    }
}
