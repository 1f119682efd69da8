using System.Net;
using CsCheck;
using Holepunch.Reactive.Testing;
using Holepunch.Reactive.Testing.Network;
using static Holepunch.Reactive.Tests.Network.Net;

namespace Holepunch.Reactive.Tests.Network;

public sealed class VirtualNetworkTests
{
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    [Fact]
    public void PublicToPublic_ArrivesAfterBothLinkLatencies_WithEndpoints()
    {
        var scheduler = new TestScheduler();
        using var net = new VirtualNetwork(scheduler, seed: 1, new LinkOptions { Latency = 10 * Ms });
        var server = net.AddHost(Ip("203.0.113.1")).Bind(5000);
        var client = net.AddHost(Ip("203.0.113.2")).Bind(4000);
        using var log = new DatagramLog(server, scheduler);

        Assert.True(client.SendText("hello", server.LocalEndPoint));
        scheduler.AdvanceBy(20 * Ms - TimeSpan.FromTicks(1));
        Assert.Empty(log.Items);
        scheduler.AdvanceBy(TimeSpan.FromTicks(1));

        var received = Assert.Single(log.Items);
        Assert.Equal((20 * Ms).Ticks, received.Ticks);
        Assert.Equal("hello", received.Text);
        Assert.Equal(Ep("203.0.113.2", 4000), received.RemoteEndPoint);
        Assert.Equal(Ep("203.0.113.1", 5000), received.LocalEndPoint);
        Assert.Equal(1, net.Statistics.Delivered);
        Assert.Equal(0, net.Statistics.InFlight);
    }

    [Fact]
    public void Send_PayloadChangedAfterwards_DeliversTheOriginalBytes()
    {
        var scheduler = new TestScheduler();
        using var net = new VirtualNetwork(scheduler, seed: 1);
        var a = net.AddHost(Ip("203.0.113.1")).Bind(1);
        var b = net.AddHost(Ip("203.0.113.2")).Bind(2);
        using var log = new DatagramLog(b, scheduler);
        var buffer = new byte[] { 1, 2, 3 };

        a.Send(buffer, b.LocalEndPoint);
        buffer[0] = 99;
        scheduler.AdvanceBy(Ms);

        Assert.Equal(new byte[] { 1, 2, 3 }, Assert.Single(log.Items).Payload);
    }

    [Fact]
    public void SendToUnboundPort_CountsNoListener()
    {
        var scheduler = new TestScheduler();
        using var net = new VirtualNetwork(scheduler, seed: 1);
        var a = net.AddHost(Ip("203.0.113.1")).Bind(1);
        net.AddHost(Ip("203.0.113.2"));

        Assert.True(a.SendText("x", Ep("203.0.113.2", 9)));
        scheduler.AdvanceBy(Ms);

        Assert.Equal(1, net.Statistics.Count(DatagramOutcome.NoListener));
        Assert.Equal(1, net.Statistics.Dropped);
        Assert.Equal(0, net.Statistics.Delivered);
    }

    [Fact]
    public void SendToUnknownAddress_CountsNoRoute()
    {
        var scheduler = new TestScheduler();
        using var net = new VirtualNetwork(scheduler, seed: 1);
        var a = net.AddHost(Ip("203.0.113.1")).Bind(1);

        a.SendText("x", Ep("192.0.2.77", 9));
        a.SendText("x", new IPEndPoint(IPAddress.IPv6Loopback, 9));
        scheduler.AdvanceBy(Ms);

        Assert.Equal(2, net.Statistics.Count(DatagramOutcome.NoRoute));
    }

    [Fact]
    public void SendToIPv4MappedAddress_IsDeliveredWithUnmappedEndpoints()
    {
        var scheduler = new TestScheduler();
        using var net = new VirtualNetwork(scheduler, seed: 1);
        var a = net.AddHost(Ip("203.0.113.1")).Bind(1);
        var b = net.AddHost(Ip("203.0.113.2")).Bind(2);
        using var log = new DatagramLog(b, scheduler);

        a.SendText("x", new IPEndPoint(Ip("203.0.113.2").MapToIPv6(), 2));
        scheduler.AdvanceBy(Ms);

        Assert.Equal(Ep("203.0.113.2", 2), Assert.Single(log.Items).LocalEndPoint);
    }

    [Fact]
    public void Loss_DropsAboutTheConfiguredShare()
    {
        var (net, _, log) = Flood(new LinkOptions { Loss = 0.25 }, count: 2000, seed: 7);

        var lost = net.Statistics.Count(DatagramOutcome.Lost);
        Assert.InRange(lost, 400, 600);
        Assert.Equal(2000 - lost, log.Items.Count);
        Assert.Equal(net.Statistics.Sent, net.Statistics.Delivered + net.Statistics.Dropped);
    }

    [Fact]
    public void Duplication_DeliversAboutTheConfiguredShareTwice()
    {
        var (net, _, log) = Flood(new LinkOptions { Duplication = 0.1 }, count: 2000, seed: 7);

        Assert.InRange(net.Statistics.Duplicated, 140, 260);
        Assert.Equal(2000 + net.Statistics.Duplicated, log.Items.Count);
        Assert.Equal(0, net.Statistics.Dropped);
    }

    [Fact]
    public void Jitter_SpreadsArrivalsBetweenLatencyAndLatencyPlusJitter()
    {
        var (_, scheduler, log) = Flood(new LinkOptions { Latency = 10 * Ms, Jitter = 5 * Ms }, count: 500, seed: 3, spacing: TimeSpan.Zero);

        var delays = log.Items.Select(i => i.Ticks).ToList();
        Assert.Equal(500, delays.Count);
        // The receiver's perfect link delivers on the next tick: the TestScheduler runs work due now at clock + 1.
        Assert.All(delays, d => Assert.InRange(d, (10 * Ms).Ticks + 1, (15 * Ms).Ticks));
        Assert.True(delays.Max() - delays.Min() > (4 * Ms).Ticks, "jitter should spread the arrivals");
        Assert.NotEqual(0, scheduler.Clock);
    }

    [Fact]
    public void Reordering_LetsLaterDatagramsOvertake_WithoutLosingAny()
    {
        var (_, _, log) = Flood(new LinkOptions { Latency = 10 * Ms, Reordering = 0.2, ReorderDelay = 5 * Ms }, count: 200, seed: 5, spacing: Ms);

        var order = log.Items.Select(i => int.Parse(i.Text, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(0, 200), order.Order());
        Assert.NotEqual(Enumerable.Range(0, 200), order);
    }

    [Fact]
    public void SameSeed_GivesTheSameRun_OtherSeed_ADifferentOne()
    {
        var link = new LinkOptions { Latency = 10 * Ms, Jitter = 3 * Ms, Loss = 0.1, Duplication = 0.1, Reordering = 0.1 };

        var first = TraceOf(link, seed: 42);
        var second = TraceOf(link, seed: 42);
        var other = TraceOf(link, seed: 43);

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void AnyLinkAndSeed_RunsTwiceTheSame_AndAccountsForEveryDatagram()
    {
        var probability = Gen.Double[0, 0.5];
        var delay = Gen.Int[0, 20].Select(ms => ms * Ms);
        var links = Gen.Select(delay, delay, probability, probability, probability)
            .Select(static t => new LinkOptions { Latency = t.Item1, Jitter = t.Item2, Loss = t.Item3, Duplication = t.Item4, Reordering = t.Item5 });

        Gen.Select(Gen.Int, links).Sample(
            (seed, link) =>
            {
                var first = TraceOf(link, seed, out var statistics);
                var second = TraceOf(link, seed, out _);
                Assert.Equal(first, second);
                Assert.Equal(0, statistics.InFlight);
                Assert.Equal(statistics.Sent + statistics.Duplicated, statistics.Delivered + statistics.Dropped);
                Assert.Equal(first.Count, statistics.Delivered + statistics.Dropped);
            },
            iter: 30);
    }

    [Fact]
    public void Trace_ReportsEveryOutcomeWithTimeAndEndpoints()
    {
        var scheduler = new TestScheduler();
        using var net = new VirtualNetwork(scheduler, seed: 1, new LinkOptions { Latency = 5 * Ms });
        var a = net.AddHost(Ip("203.0.113.1")).Bind(1);
        var b = net.AddHost(Ip("203.0.113.2")).Bind(2);
        var trace = new List<DatagramTrace>();
        using var subscription = net.Trace.Subscribe(trace.Add);

        a.SendText("abc", b.LocalEndPoint);
        a.SendText("x", Ep("203.0.113.2", 3));
        scheduler.AdvanceBy(10 * Ms);

        Assert.Equal(
            [
                new DatagramTrace(new DateTimeOffset((10 * Ms).Ticks, TimeSpan.Zero), Ep("203.0.113.1", 1), Ep("203.0.113.2", 2), 3, DatagramOutcome.Delivered),
                new DatagramTrace(new DateTimeOffset((10 * Ms).Ticks, TimeSpan.Zero), Ep("203.0.113.1", 1), Ep("203.0.113.2", 3), 1, DatagramOutcome.NoListener),
            ],
            trace);
    }

    [Fact]
    public void PerHostLink_OverridesTheDefault()
    {
        var scheduler = new TestScheduler();
        using var net = new VirtualNetwork(scheduler, seed: 1, new LinkOptions { Latency = 10 * Ms });
        var slow = net.AddHost(Ip("203.0.113.1"), new LinkOptions { Latency = 100 * Ms }).Bind(1);
        var b = net.AddHost(Ip("203.0.113.2")).Bind(2);
        using var log = new DatagramLog(b, scheduler);

        slow.SendText("x", b.LocalEndPoint);
        scheduler.AdvanceBy(200 * Ms);

        Assert.Equal((110 * Ms).Ticks, Assert.Single(log.Items).Ticks);
    }

    [Fact]
    public void InvalidLinkOptions_ThrowOneExceptionListingEveryProblem()
    {
        var bad = new LinkOptions { Latency = -Ms, Loss = 2, Duplication = double.NaN };

        var error = Assert.Throws<ArgumentException>(() => new VirtualNetwork(new TestScheduler(), 1, bad));

        Assert.Equal("defaultLink", error.ParamName);
        Assert.Contains("Latency", error.Message, StringComparison.Ordinal);
        Assert.Contains("Loss", error.Message, StringComparison.Ordinal);
        Assert.Contains("Duplication", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateAddress_Throws()
    {
        using var net = new VirtualNetwork(new TestScheduler(), 1);
        net.AddHost(Ip("203.0.113.1"));

        Assert.Throws<ArgumentException>(() => net.AddNat(Ip("203.0.113.1")));
    }

    [Fact]
    public void Dispose_CompletesTransportsAndTrace_AndLaterSendsAreRefused()
    {
        var scheduler = new TestScheduler();
        var net = new VirtualNetwork(scheduler, seed: 1);
        var a = net.AddHost(Ip("203.0.113.1")).Bind(1);
        using var log = new DatagramLog(a, scheduler);
        var traceCompleted = false;
        using var subscription = net.Trace.Subscribe(_ => { }, () => traceCompleted = true);

        net.Dispose();

        Assert.True(log.Completed);
        Assert.True(traceCompleted);
        Assert.False(a.SendText("x", Ep("203.0.113.2", 1)));
        Assert.Equal(1, net.Statistics.Count(DatagramOutcome.SenderClosed));
        Assert.Throws<ObjectDisposedException>(() => net.AddHost(Ip("203.0.113.3")));
    }

    private static (VirtualNetwork Net, TestScheduler Scheduler, DatagramLog Log) Flood(LinkOptions senderLink, int count, int seed, TimeSpan? spacing = null)
    {
        var scheduler = new TestScheduler();
        var net = new VirtualNetwork(scheduler, seed);
        var a = net.AddHost(Ip("203.0.113.1"), senderLink).Bind(1);
        var b = net.AddHost(Ip("203.0.113.2")).Bind(2);
        var log = new DatagramLog(b, scheduler);
        for (var i = 0; i < count; i++)
        {
            a.SendText(i.ToString(System.Globalization.CultureInfo.InvariantCulture), b.LocalEndPoint);
            if (spacing is { } step && step > TimeSpan.Zero)
            {
                scheduler.AdvanceBy(step);
            }
        }

        scheduler.AdvanceBy(TimeSpan.FromSeconds(1));
        return (net, scheduler, log);
    }

    private static List<DatagramTrace> TraceOf(LinkOptions link, int seed) => TraceOf(link, seed, out _);

    private static List<DatagramTrace> TraceOf(LinkOptions link, int seed, out NetworkStatistics statistics)
    {
        var scheduler = new TestScheduler();
        using var net = new VirtualNetwork(scheduler, seed, link);
        var a = net.AddHost(Ip("203.0.113.1")).Bind(0);
        var b = net.AddHost(Ip("203.0.113.2")).Bind(0);
        var trace = new List<DatagramTrace>();
        using var subscription = net.Trace.Subscribe(trace.Add);
        for (var i = 0; i < 200; i++)
        {
            a.SendText("ping", b.LocalEndPoint);
            b.SendText("pong", a.LocalEndPoint);
            scheduler.AdvanceBy(Ms);
        }

        scheduler.AdvanceBy(TimeSpan.FromSeconds(1));
        statistics = net.Statistics;
        return trace;
    }
}
