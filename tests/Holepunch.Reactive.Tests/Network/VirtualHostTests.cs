using Holepunch.Reactive.Testing;
using Holepunch.Reactive.Testing.Network;
using static Holepunch.Reactive.Tests.Network.Net;

namespace Holepunch.Reactive.Tests.Network;

public sealed class VirtualHostTests
{
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    [Fact]
    public void BindPortZero_PicksAFreeEphemeralPort_TheSameForTheSameSeed()
    {
        int PortFor(int seed)
        {
            using var net = new VirtualNetwork(new TestScheduler(), seed);
            var host = net.AddHost(Ip("203.0.113.1"));
            var first = host.Bind(0);
            var second = host.Bind(0);
            Assert.NotEqual(first.LocalEndPoint.Port, second.LocalEndPoint.Port);
            Assert.Equal(Ip("203.0.113.1"), first.LocalEndPoint.Address);
            return first.LocalEndPoint.Port;
        }

        var port = PortFor(9);

        Assert.InRange(port, 49152, 65535);
        Assert.Equal(port, PortFor(9));
    }

    [Fact]
    public void BindPortInUse_Throws()
    {
        using var net = new VirtualNetwork(new TestScheduler(), 1);
        var host = net.AddHost(Ip("203.0.113.1"));
        host.Bind(4000);

        Assert.Throws<InvalidOperationException>(() => host.Bind(4000));
        Assert.Throws<InvalidOperationException>(() => host.Bind(Ip("203.0.113.1"), 4000));
        Assert.Throws<ArgumentOutOfRangeException>(() => host.Bind(70000));
    }

    [Fact]
    public void Dispose_CompletesReceivedAndFreesThePort()
    {
        var scheduler = new TestScheduler();
        using var net = new VirtualNetwork(scheduler, 1);
        var host = net.AddHost(Ip("203.0.113.1"));
        var sender = net.AddHost(Ip("203.0.113.2")).Bind(1);
        var transport = host.Bind(4000);
        using var log = new DatagramLog(transport, scheduler);

        transport.Dispose();
        sender.SendText("late", Ep("203.0.113.1", 4000));
        scheduler.AdvanceBy(Ms);
        using var again = host.Bind(4000);

        Assert.True(log.Completed);
        Assert.Empty(log.Items);
        Assert.Equal(1, net.Statistics.Count(DatagramOutcome.NoListener));
        Assert.Equal(4000, again.LocalEndPoint.Port);
    }

    [Fact]
    public void SendAfterDispose_ReturnsFalseAndCountsSenderClosed()
    {
        using var net = new VirtualNetwork(new TestScheduler(), 1);
        var transport = net.AddHost(Ip("203.0.113.1")).Bind(1);
        transport.Dispose();

        Assert.False(transport.SendText("x", Ep("203.0.113.2", 1)));
        Assert.Equal(1, net.Statistics.Count(DatagramOutcome.SenderClosed));
    }

    [Fact]
    public void DatagramInFlightWhenTransportDisposed_CountsNoListener()
    {
        var scheduler = new TestScheduler();
        using var net = new VirtualNetwork(scheduler, 1, new LinkOptions { Latency = 10 * Ms });
        var a = net.AddHost(Ip("203.0.113.1")).Bind(1);
        var b = net.AddHost(Ip("203.0.113.2")).Bind(2);

        a.SendText("x", b.LocalEndPoint);
        scheduler.AdvanceBy(5 * Ms);
        b.Dispose();
        scheduler.AdvanceBy(20 * Ms);

        Assert.Equal(1, net.Statistics.Count(DatagramOutcome.NoListener));
    }

    [Fact]
    public void HostsBehindTheSameNat_TalkByPrivateAddress_WithoutAMapping()
    {
        var scheduler = new TestScheduler();
        using var net = new VirtualNetwork(scheduler, 1);
        var nat = net.AddNat(Ip("198.51.100.1"), NatOptions.Symmetric);
        var alice = nat.AddHost(Ip("192.168.1.10")).Bind(4000);
        var bob = nat.AddHost(Ip("192.168.1.11")).Bind(4001);
        using var log = new DatagramLog(bob, scheduler);

        alice.SendText("lan", Ep("192.168.1.11", 4001));
        scheduler.AdvanceBy(Ms);

        var received = Assert.Single(log.Items);
        Assert.Equal(Ep("192.168.1.10", 4000), received.RemoteEndPoint);
        Assert.Equal(Ep("192.168.1.11", 4001), received.LocalEndPoint);
        Assert.Equal(0, nat.ActiveMappings);
    }

    [Fact]
    public void SamePrivateAddressBehindTwoNats_AreDifferentHosts()
    {
        var scheduler = new TestScheduler();
        using var net = new VirtualNetwork(scheduler, 1);
        var natA = net.AddNat(Ip("198.51.100.1"));
        var natB = net.AddNat(Ip("198.51.100.2"));
        var a = natA.AddHost(Ip("192.168.1.10")).Bind(4000);
        var b = natB.AddHost(Ip("192.168.1.10")).Bind(4000);
        var neighbour = natA.AddHost(Ip("192.168.1.11"));
        var a2 = neighbour.Bind(4000);
        using var logA = new DatagramLog(a, scheduler);
        using var logB = new DatagramLog(b, scheduler);

        a2.SendText("neighbour", Ep("192.168.1.10", 4000));
        scheduler.AdvanceBy(Ms);

        Assert.Equal(["neighbour"], logA.Texts);
        Assert.Empty(logB.Items);
        Assert.Null(net.AddHost(Ip("203.0.113.1")).Nat);
        Assert.Same(natA, neighbour.Nat);
    }

    [Fact]
    public void HostWithTwoAddresses_SendsFromTheChosenOne_AndReportsWhereDatagramsArrived()
    {
        var scheduler = new TestScheduler();
        using var net = new VirtualNetwork(scheduler, 1);
        var server = net.AddHost(Ip("203.0.113.1")).AddAddress(Ip("203.0.113.2"));
        var serverTransport = server.Bind(5000);
        var client = net.AddHost(Ip("203.0.113.9")).Bind(1);
        using var serverLog = new DatagramLog(serverTransport, scheduler);
        using var clientLog = new DatagramLog(client, scheduler);

        client.SendText("to second", Ep("203.0.113.2", 5000));
        scheduler.AdvanceBy(Ms);
        var request = Assert.Single(serverLog.Items);
        serverTransport.SendText("reply", request.RemoteEndPoint, request.LocalEndPoint.Address);
        serverTransport.SendText("default", request.RemoteEndPoint);
        scheduler.AdvanceBy(Ms);

        Assert.Equal(Ep("203.0.113.2", 5000), request.LocalEndPoint);
        Assert.Equal(Ep("203.0.113.1", 5000), serverTransport.LocalEndPoint);
        Assert.Equal([Ep("203.0.113.2", 5000), Ep("203.0.113.1", 5000)], clientLog.Items.Select(i => i.RemoteEndPoint));
        Assert.Equal([Ip("203.0.113.1"), Ip("203.0.113.2")], server.Addresses);
    }

    [Fact]
    public void SendFromAnAddressTheHostDoesNotOwn_ReturnsFalseAndCountsInvalidSource()
    {
        using var net = new VirtualNetwork(new TestScheduler(), 1);
        var transport = net.AddHost(Ip("203.0.113.1")).Bind(1);

        Assert.False(transport.SendText("x", Ep("203.0.113.2", 1), Ip("203.0.113.7")));
        Assert.Equal(1, net.Statistics.Count(DatagramOutcome.InvalidSource));
    }

    [Fact]
    public void BindToOneAddress_ReceivesOnlyOnThatAddress()
    {
        var scheduler = new TestScheduler();
        using var net = new VirtualNetwork(scheduler, 1);
        var server = net.AddHost(Ip("203.0.113.1")).AddAddress(Ip("203.0.113.2"));
        var second = server.Bind(Ip("203.0.113.2"), 5000);
        var client = net.AddHost(Ip("203.0.113.9")).Bind(1);
        using var log = new DatagramLog(second, scheduler);

        client.SendText("first", Ep("203.0.113.1", 5000));
        client.SendText("second", Ep("203.0.113.2", 5000));
        scheduler.AdvanceBy(Ms);

        Assert.Equal(["second"], log.Texts);
        Assert.Equal(1, net.Statistics.Count(DatagramOutcome.NoListener));
        Assert.Throws<ArgumentException>(() => server.Bind(Ip("203.0.113.3"), 5001));
    }
}
