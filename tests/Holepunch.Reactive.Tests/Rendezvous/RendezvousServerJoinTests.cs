using System.Net;
using static Holepunch.Reactive.Tests.Rendezvous.RendezvousServerHarness;

namespace Holepunch.Reactive.Tests.Rendezvous;

public sealed class RendezvousServerJoinTests
{
    private static readonly IPEndPoint Host = EndPoint("203.0.113.5:40000");
    private static readonly IPEndPoint Joiner = EndPoint("198.51.100.7:50000");

    [Fact]
    public void JoinOfUnknownRoom_GetsNotFound()
    {
        using var harness = new RendezvousServerHarness();

        harness.Handle(Join("joiner", "lobby"), Joiner);

        var sent = Assert.Single(harness.TakeSent());
        Assert.Equal("""{"type":"server-error","message":"lobby not found","intended-recipient":"joiner"}""", sent.Json);
        Assert.Equal(Joiner, sent.To);
        Assert.Equal(ServerEndPoint.Address, sent.From);
        Assert.Equal((0, 1), (harness.Server.Counters.Joins, harness.Server.Counters.ErrorsSent));
    }

    [Fact]
    public void JoinOfKnownRoom_SendsHandshakeInfoToBothSides()
    {
        using var harness = new RendezvousServerHarness();
        harness.Handle(Register("room", "10.0.0.2", 4001), Host);
        harness.TakeSent();

        harness.Handle(Join("joiner", "room", "10.0.0.7", 4002), Joiner);

        var sent = harness.TakeSent();
        Assert.Equal(2, sent.Length);
        var toHost = Assert.Single(sent, s => s.To.Equals(Host));
        Assert.Equal(
            """{"type":"providing-peer-handshake-info","peer-name":"joiner","global-address":["198.51.100.7",50000],"local-address":["10.0.0.7",4002],"intended-recipient":"room"}""",
            toHost.Json);
        var toJoiner = Assert.Single(sent, s => s.To.Equals(Joiner));
        Assert.Equal(
            """{"type":"providing-peer-handshake-info","peer-name":"room","global-address":["203.0.113.5",40000],"local-address":["10.0.0.2",4001],"intended-recipient":"joiner"}""",
            toJoiner.Json);
        Assert.Equal(1, harness.Server.Counters.Joins);
    }

    [Fact]
    public void JoinWithSeedSpelling_ReportsTheJoinersLocalAddress()
    {
        using var harness = new RendezvousServerHarness();
        harness.Handle(Register("room"), Host);
        harness.TakeSent();

        harness.Handle(
            """{"type":"requesting-to-join-server","sender":"joiner","intended-recipient":"","local-ip":"10.0.0.7","local-port":4002.0,"server-name":"room"}""",
            Joiner);

        var toHost = Assert.Single(harness.TakeSent(), s => s.To.Equals(Host));
        Assert.Contains("\"local-address\":[\"10.0.0.7\",4002]", toHost.Json, StringComparison.Ordinal);
    }

    [Fact]
    public void JoinArrivingAtAnotherServerAddress_RepliesToEachSideFromTheAddressItUsed()
    {
        using var harness = new RendezvousServerHarness();
        var first = EndPoint("192.0.2.1:5160");
        var second = EndPoint("192.0.2.2:5160");
        harness.Handle(Register("room"), Host, at: first);
        harness.TakeSent();

        harness.Handle(Join("joiner", "room"), Joiner, at: second);

        var sent = harness.TakeSent();
        Assert.Equal(first.Address, Assert.Single(sent, s => s.To.Equals(Host)).From);
        Assert.Equal(second.Address, Assert.Single(sent, s => s.To.Equals(Joiner)).From);
    }

    [Fact]
    public void JoinAfterTheRoomExpired_GetsNotFound()
    {
        using var harness = new RendezvousServerHarness();
        harness.Handle(Register("room", seconds: 5), Host);
        harness.Scheduler.AdvanceBy(TimeSpan.FromSeconds(5));
        harness.TakeSent();

        harness.Handle(Join("joiner", "room"), Joiner);

        Assert.Equal(Error("joiner", "room not found"), Assert.Single(harness.TakeSent()).Json);
    }

    [Fact]
    public void RequestArrivingAtTheWildcardAddress_LetsTheSystemChooseTheSource()
    {
        using var harness = new RendezvousServerHarness();

        harness.Handle(Join("joiner", "room"), Joiner, at: new IPEndPoint(IPAddress.Any, 5160));
        harness.Handle(Join("joiner", "room"), Joiner, at: new IPEndPoint(IPAddress.IPv6Any, 5160));

        Assert.All(harness.TakeSent(), s => Assert.Null(s.From));
    }

    [Fact]
    public void RequestOverIPv6_RepliesFromTheIPv6AddressItArrivedAt()
    {
        using var harness = new RendezvousServerHarness();
        var server = EndPoint("[2001:db8::1]:5160");
        var joiner = EndPoint("[2001:db8::7]:50000");

        harness.Handle(Join("joiner", "room"), joiner, at: server);

        var sent = Assert.Single(harness.TakeSent());
        Assert.Equal((joiner, server.Address), (sent.To, sent.From));
    }
}
