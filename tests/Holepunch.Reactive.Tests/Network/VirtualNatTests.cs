using System.Net;
using Holepunch.Reactive.Testing;
using Holepunch.Reactive.Testing.Network;
using Holepunch.Reactive.Transport;
using static Holepunch.Reactive.Tests.Network.Net;

namespace Holepunch.Reactive.Tests.Network;

public sealed class VirtualNatTests
{
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);
    private static readonly IPAddress NatAddress = Ip("198.51.100.1");

    private readonly TestScheduler _scheduler = new();
    private readonly Dictionary<IPAddress, VirtualHost> _hosts = [];
    private readonly Dictionary<IPEndPoint, IDatagramTransport> _transports = [];

    [Fact]
    public void EndpointIndependentMapping_ReusesOnePublicPortForTwoDestinations()
    {
        using var net = new VirtualNetwork(_scheduler, 1);
        var alice = net.AddNat(NatAddress, new NatOptions { Mapping = NatBehavior.EndpointIndependent }).AddHost(Ip("192.168.1.10")).Bind(4000);

        var seen = SeenBy(net, alice, Ep("203.0.113.1", 5000), Ep("203.0.113.2", 5000));

        Assert.Equal(seen[0], seen[1]);
        Assert.Equal(NatAddress, seen[0].Address);
    }

    [Fact]
    public void AddressDependentMapping_GivesANewPublicPortPerDestinationAddress()
    {
        using var net = new VirtualNetwork(_scheduler, 1);
        var alice = net.AddNat(NatAddress, new NatOptions { Mapping = NatBehavior.AddressDependent }).AddHost(Ip("192.168.1.10")).Bind(4000);

        var seen = SeenBy(net, alice, Ep("203.0.113.1", 5000), Ep("203.0.113.1", 5001), Ep("203.0.113.2", 5000));

        Assert.Equal(seen[0], seen[1]);
        Assert.NotEqual(seen[0], seen[2]);
    }

    [Fact]
    public void AddressAndPortDependentMapping_GivesANewPublicPortPerDestinationEndpoint()
    {
        using var net = new VirtualNetwork(_scheduler, 1);
        var nat = net.AddNat(NatAddress, new NatOptions { Mapping = NatBehavior.AddressAndPortDependent });
        var alice = nat.AddHost(Ip("192.168.1.10")).Bind(4000);

        var seen = SeenBy(net, alice, Ep("203.0.113.1", 5000), Ep("203.0.113.1", 5001));

        Assert.NotEqual(seen[0].Port, seen[1].Port);
        Assert.Equal(2, nat.ActiveMappings);
    }

    [Fact]
    public void InboundWithoutAMapping_CountsNoMapping()
    {
        using var net = new VirtualNetwork(_scheduler, 1);
        net.AddNat(NatAddress, NatOptions.FullCone).AddHost(Ip("192.168.1.10")).Bind(4000);
        var server = net.AddHost(Ip("203.0.113.1")).Bind(5000);

        server.SendText("unsolicited", new IPEndPoint(NatAddress, 4000));
        _scheduler.AdvanceBy(Ms);

        Assert.Equal(1, net.Statistics.Count(DatagramOutcome.NoMapping));
    }

    [Fact]
    public void EndpointIndependentFiltering_LetsAnyoneInThroughAMapping()
    {
        var (net, _, alice, log, mapped) = SetUp(NatOptions.FullCone);
        var stranger = Public(net, Ep("203.0.113.2", 6000));

        stranger.SendText("hi", mapped);
        _scheduler.AdvanceBy(Ms);

        Assert.Equal(["hi"], log.Texts);
        Assert.Equal(Ep("203.0.113.2", 6000), log.Items[0].RemoteEndPoint);
        Assert.Equal(alice.LocalEndPoint, log.Items[0].LocalEndPoint);
    }

    [Fact]
    public void AddressDependentFiltering_DropsAnUnknownAddress_AcceptsANewPortOfAKnownAddress()
    {
        var (net, _, _, log, mapped) = SetUp(NatOptions.RestrictedCone);
        var known = Public(net, Ep("203.0.113.1", 5001));
        var stranger = Public(net, Ep("203.0.113.2", 5000));

        known.SendText("known address, new port", mapped);
        stranger.SendText("stranger", mapped);
        _scheduler.AdvanceBy(Ms);

        Assert.Equal(["known address, new port"], log.Texts);
        Assert.Equal(1, net.Statistics.Count(DatagramOutcome.Filtered));
    }

    [Fact]
    public void AddressAndPortDependentFiltering_DropsAnEndpointNeverSentTo()
    {
        var (net, _, _, log, mapped) = SetUp(NatOptions.PortRestrictedCone);
        var server = Public(net, Ep("203.0.113.1", 5000));
        var otherPort = Public(net, Ep("203.0.113.1", 5001));

        otherPort.SendText("new port", mapped);
        server.SendText("reply", mapped);
        _scheduler.AdvanceBy(Ms);

        Assert.Equal(["reply"], log.Texts);
        Assert.Equal(1, net.Statistics.Count(DatagramOutcome.Filtered));
    }

    [Fact]
    public void Mapping_UnusedOutboundForTheTimeout_IsGoneAndLaterInboundIsDropped()
    {
        var options = NatOptions.FullCone with { MappingTimeout = TimeSpan.FromSeconds(30) };
        var (net, nat, _, log, mapped) = SetUp(options);
        var server = Public(net, Ep("203.0.113.1", 5000));

        _scheduler.AdvanceBy(TimeSpan.FromSeconds(29));
        server.SendText("in time", mapped);
        _scheduler.AdvanceBy(TimeSpan.FromSeconds(2));
        server.SendText("too late", mapped);
        _scheduler.AdvanceBy(Ms);

        Assert.Equal(["in time"], log.Texts);
        Assert.Equal(1, net.Statistics.Count(DatagramOutcome.NoMapping));
        Assert.Equal(0, nat.ActiveMappings);
    }

    [Fact]
    public void Mapping_RefreshedByOutboundTraffic_OutlivesTheTimeout()
    {
        var options = NatOptions.PortRestrictedCone with { MappingTimeout = TimeSpan.FromSeconds(30) };
        var (net, _, alice, log, mapped) = SetUp(options);
        var server = Public(net, Ep("203.0.113.1", 5000));

        _scheduler.AdvanceBy(TimeSpan.FromSeconds(20));
        alice.SendText("keep-alive", server.LocalEndPoint);
        _scheduler.AdvanceBy(TimeSpan.FromSeconds(25));
        server.SendText("still there", mapped);
        _scheduler.AdvanceBy(Ms);

        Assert.Equal(["still there"], log.Texts);
        Assert.Equal(0, net.Statistics.Dropped);
    }

    [Fact]
    public void PortPreservationOn_KeepsThePrivatePort_UnlessAnotherHostHasIt()
    {
        using var net = new VirtualNetwork(_scheduler, 1);
        var nat = net.AddNat(NatAddress, new NatOptions { PortPreservation = true });
        var alice = nat.AddHost(Ip("192.168.1.10")).Bind(4000);
        var carol = nat.AddHost(Ip("192.168.1.12")).Bind(4000);

        var aliceSeen = SeenBy(net, alice, Ep("203.0.113.1", 5000))[0];
        var carolSeen = SeenBy(net, carol, Ep("203.0.113.1", 5000))[0];

        Assert.Equal(new IPEndPoint(NatAddress, 4000), aliceSeen);
        Assert.NotEqual(4000, carolSeen.Port);
        Assert.InRange(carolSeen.Port, 1024, 65535);
    }

    [Fact]
    public void PortPreservationOff_PicksASeededRandomPort()
    {
        int PublicPort(int seed)
        {
            var scheduler = new TestScheduler();
            using var net = new VirtualNetwork(scheduler, seed);
            var alice = net.AddNat(NatAddress, new NatOptions { PortPreservation = false }).AddHost(Ip("192.168.1.10")).Bind(4000);
            var server = net.AddHost(Ip("203.0.113.1")).Bind(5000);
            using var log = new DatagramLog(server, scheduler);
            alice.SendText("x", server.LocalEndPoint);
            scheduler.AdvanceBy(Ms);
            return Assert.Single(log.Items).RemoteEndPoint.Port;
        }

        var port = PublicPort(11);

        Assert.NotEqual(4000, port);
        Assert.InRange(port, 1024, 65535);
        Assert.Equal(port, PublicPort(11));
    }

    [Fact]
    public void HairpinningOn_ReachesAnInsideHostThroughItsMapping_WithTheSourceTranslated()
    {
        using var net = new VirtualNetwork(_scheduler, 1);
        var nat = net.AddNat(NatAddress, NatOptions.FullCone);
        var alice = nat.AddHost(Ip("192.168.1.10")).Bind(4000);
        var bob = nat.AddHost(Ip("192.168.1.11")).Bind(4001);
        using var bobLog = new DatagramLog(bob, _scheduler);
        var bobPublic = SeenBy(net, bob, Ep("203.0.113.1", 5000))[0];

        alice.SendText("via the NAT", bobPublic);
        _scheduler.AdvanceBy(Ms);

        var received = Assert.Single(bobLog.Items);
        Assert.Equal(new IPEndPoint(NatAddress, 4000), received.RemoteEndPoint);
        Assert.Equal(Ep("192.168.1.11", 4001), received.LocalEndPoint);
    }

    [Fact]
    public void HairpinningOff_DropsDatagramsToTheNatsOwnPublicAddress()
    {
        using var net = new VirtualNetwork(_scheduler, 1);
        var nat = net.AddNat(NatAddress, NatOptions.FullCone with { Hairpinning = false });
        var alice = nat.AddHost(Ip("192.168.1.10")).Bind(4000);
        var bob = nat.AddHost(Ip("192.168.1.11")).Bind(4001);
        using var bobLog = new DatagramLog(bob, _scheduler);
        var bobPublic = SeenBy(net, bob, Ep("203.0.113.1", 5000))[0];

        alice.SendText("via the NAT", bobPublic);
        _scheduler.AdvanceBy(Ms);

        Assert.Empty(bobLog.Items);
        Assert.Equal(1, net.Statistics.Count(DatagramOutcome.HairpinDisabled));
    }

    [Fact]
    public void HolePunch_BetweenTwoFullConeNats_Succeeds()
    {
        var (net, aliceLog, bobLog) = HolePunch(NatOptions.FullCone);

        Assert.Contains("hello bob", bobLog.Texts);
        Assert.Contains("hello alice", aliceLog.Texts);
        Assert.Equal(0, net.Statistics.Count(DatagramOutcome.Filtered));
    }

    [Fact]
    public void HolePunch_BetweenTwoPortRestrictedConeNats_SucceedsOnceBothSidesSent()
    {
        var (net, aliceLog, bobLog) = HolePunch(NatOptions.PortRestrictedCone);

        Assert.Contains("hello bob", bobLog.Texts);
        Assert.Contains("hello alice", aliceLog.Texts);
        Assert.Equal(1, net.Statistics.Count(DatagramOutcome.Filtered));
    }

    [Fact]
    public void HolePunch_BetweenTwoSymmetricNats_Fails()
    {
        var (net, aliceLog, bobLog) = HolePunch(NatOptions.Symmetric);

        Assert.Empty(aliceLog.Items);
        Assert.Empty(bobLog.Items);
        Assert.Equal(4, net.Statistics.Count(DatagramOutcome.Filtered));
    }

    [Fact]
    public void NestedNats_TranslateTwice_AndRepliesFindTheirWayBack()
    {
        using var net = new VirtualNetwork(_scheduler, 1);
        var carrier = net.AddNat(Ip("198.51.100.9"), NatOptions.FullCone);
        var home = carrier.AddNat(Ip("100.64.0.2"), NatOptions.PortRestrictedCone);
        var alice = home.AddHost(Ip("192.168.1.10")).Bind(4000);
        var server = net.AddHost(Ip("203.0.113.1")).Bind(5000);
        using var aliceLog = new DatagramLog(alice, _scheduler);
        using var serverLog = new DatagramLog(server, _scheduler);

        alice.SendText("out", server.LocalEndPoint);
        _scheduler.AdvanceBy(Ms);
        var seen = Assert.Single(serverLog.Items).RemoteEndPoint;
        server.SendText("back", seen);
        _scheduler.AdvanceBy(Ms);

        Assert.Equal(Ep("198.51.100.9", 4000), seen);
        Assert.Equal(["back"], aliceLog.Texts);
        Assert.Same(carrier, home.Parent);
    }

    [Fact]
    public void InvalidNatOptions_Throw()
    {
        using var net = new VirtualNetwork(_scheduler, 1);

        var error = Assert.Throws<ArgumentException>(() => net.AddNat(NatAddress, new NatOptions { MappingTimeout = TimeSpan.Zero, Mapping = (NatBehavior)7 }));

        Assert.Contains("MappingTimeout", error.Message, StringComparison.Ordinal);
        Assert.Contains("Mapping ", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Rendezvous at a public server, then both peers punch towards the other's observed endpoint, then talk.</summary>
    private (VirtualNetwork Net, DatagramLog AliceLog, DatagramLog BobLog) HolePunch(NatOptions options)
    {
        var net = new VirtualNetwork(_scheduler, 1, new LinkOptions { Latency = 5 * Ms });
        var alice = net.AddNat(Ip("198.51.100.1"), options).AddHost(Ip("192.168.1.10")).Bind(4000);
        var bob = net.AddNat(Ip("198.51.100.2"), options).AddHost(Ip("192.168.1.10")).Bind(4000);
        var server = net.AddHost(Ip("203.0.113.1")).Bind(5000);
        using var serverLog = new DatagramLog(server, _scheduler);
        alice.SendText("register alice", server.LocalEndPoint);
        bob.SendText("register bob", server.LocalEndPoint);
        _scheduler.AdvanceBy(20 * Ms);
        var alicePublic = serverLog.Items.Single(i => i.Text == "register alice").RemoteEndPoint;
        var bobPublic = serverLog.Items.Single(i => i.Text == "register bob").RemoteEndPoint;

        var aliceLog = new DatagramLog(alice, _scheduler);
        var bobLog = new DatagramLog(bob, _scheduler);
        alice.SendText("punch", bobPublic);
        bob.SendText("punch", alicePublic);
        _scheduler.AdvanceBy(20 * Ms);
        alice.SendText("hello bob", bobPublic);
        bob.SendText("hello alice", alicePublic);
        _scheduler.AdvanceBy(20 * Ms);
        return (net, aliceLog, bobLog);
    }

    /// <summary>A NAT at 198.51.100.1 with alice (192.168.1.10:4000) behind it, who has sent once to the server 203.0.113.1:5000.</summary>
    private (VirtualNetwork Net, VirtualNat Nat, IDatagramTransport Alice, DatagramLog AliceLog, IPEndPoint Mapped) SetUp(NatOptions options)
    {
        var net = new VirtualNetwork(_scheduler, 1);
        var nat = net.AddNat(NatAddress, options);
        var alice = nat.AddHost(Ip("192.168.1.10")).Bind(4000);
        var mapped = SeenBy(net, alice, Ep("203.0.113.1", 5000))[0];
        var log = new DatagramLog(alice, _scheduler);
        return (net, nat, alice, log, mapped);
    }

    /// <summary>Sends from <paramref name="from"/> to each destination and returns the source endpoint each one saw.</summary>
    private List<IPEndPoint> SeenBy(VirtualNetwork net, IDatagramTransport from, params IPEndPoint[] destinations)
    {
        var seen = new List<IPEndPoint>();
        foreach (var destination in destinations)
        {
            using var log = new DatagramLog(Public(net, destination), _scheduler);
            from.SendText("probe", destination);
            _scheduler.AdvanceBy(Ms);
            seen.Add(Assert.Single(log.Items).RemoteEndPoint);
        }

        return seen;
    }

    /// <summary>Gets the transport bound at a public endpoint, adding the host and binding the port on first use.</summary>
    private IDatagramTransport Public(VirtualNetwork net, IPEndPoint endPoint)
    {
        if (!_hosts.TryGetValue(endPoint.Address, out var host))
        {
            host = _hosts[endPoint.Address] = net.AddHost(endPoint.Address);
        }

        if (!_transports.TryGetValue(endPoint, out var transport))
        {
            transport = _transports[endPoint] = host.Bind(endPoint.Port);
        }

        return transport;
    }
}
