using System.Net;
using System.Text;
using Holepunch.Reactive.Rendezvous;
using Holepunch.Reactive.Testing;
using Holepunch.Reactive.Testing.Network;
using Holepunch.Reactive.Transport;

namespace Holepunch.Reactive.Tests.Rendezvous;

/// <summary>
/// The relay over the virtual network, with raw datagrams: two peers behind symmetric NATs (which cannot punch through to
/// each other) reach each other through the server, and an attacker who knows the token cannot use it from elsewhere.
/// </summary>
public sealed class RendezvousServerRelayNetworkTests : IDisposable
{
    private static readonly IPEndPoint Server = new(IPAddress.Parse("203.0.113.1"), 5160);

    private readonly TestScheduler _scheduler = new();
    private readonly VirtualNetwork _network;
    private readonly IDatagramTransport _serverTransport;
    private readonly RendezvousServer _server;
    private readonly List<IDisposable> _owned = [];

    public RendezvousServerRelayNetworkTests()
    {
        _network = new VirtualNetwork(_scheduler, seed: 3, new LinkOptions { Latency = TimeSpan.FromMilliseconds(10) });
        _serverTransport = _network.AddHost(Server.Address).Bind(Server.Port);
        _server = new RendezvousServer(_serverTransport, new RendezvousServerOptions { Scheduler = _scheduler });
        _server.Start();
    }

    [Fact]
    public void PeersBehindSymmetricNats_ReachEachOtherThroughTheRelay()
    {
        var (host, hostInbox) = Peer("198.51.100.1", "192.168.1.10");
        var (joiner, joinerInbox) = Peer("198.51.100.2", "192.168.2.20");
        Send(host, RendezvousServerRelayTests.RegisterWith("room", """["relay"]"""));
        Run();
        Send(joiner, RendezvousServerRelayTests.JoinWith("joiner", "room", """["relay"]"""));
        Run();
        var token = TokenIn(joinerInbox);
        Assert.Equal(token, TokenIn(hostInbox));
        hostInbox.Clear();
        joinerInbox.Clear();

        Send(joiner, RendezvousServerRelayTests.Relay(token, "joiner", """{"type":"peer-check","sender":"joiner","intended-recipient":"room"}"""));
        Run();
        Send(host, RendezvousServerRelayTests.Relay(token, "room", """{"type":"peer-check-response","sender":"room","intended-recipient":"joiner"}"""));
        Run();

        var atHost = Assert.Single(hostInbox);
        Assert.Equal(Server, atHost.From);
        Assert.Contains("\"intended-recipient\":\"room\",\"payload\":{\"type\":\"peer-check\"", atHost.Json, StringComparison.Ordinal);
        var atJoiner = Assert.Single(joinerInbox);
        Assert.Equal(Server, atJoiner.From);
        Assert.Contains("\"payload\":{\"type\":\"peer-check-response\"", atJoiner.Json, StringComparison.Ordinal);
        Assert.Equal(2, _server.Counters.Relay.DatagramsRelayed);
    }

    [Fact]
    public void AttackerWithTheToken_CannotRelayFromItsOwnAddress()
    {
        var (host, hostInbox) = Peer("198.51.100.1", "192.168.1.10");
        var (joiner, joinerInbox) = Peer("198.51.100.2", "192.168.2.20");
        var (attacker, attackerInbox) = Peer("198.51.100.66", "10.6.6.6");
        Send(host, RendezvousServerRelayTests.RegisterWith("room", """["relay"]"""));
        Run();
        Send(joiner, RendezvousServerRelayTests.JoinWith("joiner", "room", """["relay"]"""));
        Run();
        var token = TokenIn(joinerInbox);
        hostInbox.Clear();

        Send(attacker, RendezvousServerRelayTests.Relay(token, "joiner", """{"type":"peer-check","sender":"joiner","intended-recipient":"room"}"""));
        Run();

        Assert.Empty(hostInbox);
        Assert.Contains("\"message\":\"unknown relay\"", Assert.Single(attackerInbox).Json, StringComparison.Ordinal);
        Assert.Equal(1, _server.Counters.Relay.Refused(RelayRefusalReason.WrongSource));
    }

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        _server.Dispose();
        _scheduler.AdvanceBy(TimeSpan.FromMilliseconds(1));
        _network.Dispose();
    }

    private (IDatagramTransport Socket, List<(string Json, IPEndPoint From)> Inbox) Peer(string publicAddress, string privateAddress)
    {
        var nat = _network.AddNat(IPAddress.Parse(publicAddress), NatOptions.Symmetric);
        var socket = nat.AddHost(IPAddress.Parse(privateAddress)).Bind(4000);
        var inbox = new List<(string, IPEndPoint)>();
        _owned.Add(socket);
        _owned.Add(socket.Received.Subscribe(d => inbox.Add((Encoding.UTF8.GetString(d.Payload.Span), d.RemoteEndPoint))));
        return (socket, inbox);
    }

    private static void Send(IDatagramTransport socket, string json) => socket.Send(Encoding.UTF8.GetBytes(json), Server);

    private void Run() => _scheduler.AdvanceBy(TimeSpan.FromMilliseconds(100));

    private static string TokenIn(List<(string Json, IPEndPoint From)> inbox)
    {
        var info = Assert.Single(inbox, m => m.Json.Contains("providing-peer-handshake-info", StringComparison.Ordinal));
        return RendezvousServerRelayTests.TokenOf(new SentDatagram(info.Json, info.From, null))!;
    }
}
