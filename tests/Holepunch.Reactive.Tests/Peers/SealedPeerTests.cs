using System.Net;
using System.Reactive.Linq;
using System.Text.Json;
using Holepunch.Reactive.Peers;
using Holepunch.Reactive.Testing.Network;

namespace Holepunch.Reactive.Tests.Peers;

/// <summary>Issue 7, peer impersonation: two of our clients seal every peer datagram; a Godot peer stays plain.</summary>
public sealed class SealedPeerTests
{
    private const string Secret = "the-secret-payload";
    private static readonly IPAddress JoinerAddress = IPAddress.Parse("203.0.113.20");

    private static JsonElement Json<T>(T value) => JsonSerializer.SerializeToElement(value);

    [Fact]
    public async Task TwoOfOurPeers_Direct_AreAuthenticatedAndTheWireCarriesOnlySealedDatagrams()
    {
        using var world = new ClientWorld();
        var hostSocket = new SniffingTransport(world.Bind(world.AddNat(NatOptions.PortRestrictedCone), "192.168.1.10"));
        var joinerSocket = new SniffingTransport(world.Bind(world.AddNat(NatOptions.PortRestrictedCone), "192.168.2.20"));
        var (host, joiner, _, joining) = world.Connect(hostSocket, joinerSocket);
        await joining;
        var atHost = new List<string>();
        var atJoiner = new List<string>();
        using var s1 = host.ReliableMessages.Subscribe(m => atHost.Add(m.Message.GetString()!));
        using var s2 = joiner.UnreliableMessages.Subscribe(m => atJoiner.Add(m.Message.GetString()!));

        var sent = joiner.SendReliableAsync("room", Json(Secret));
        host.SendUnreliable("joiner", Json(Secret));
        world.Run(TimeSpan.FromSeconds(20)); // past a peer check

        Assert.True(sent.IsCompletedSuccessfully);
        Assert.Equal([Secret], atHost);
        Assert.Equal([Secret], atJoiner);
        Assert.True(Assert.Single(host.Peers.Items).IsAuthenticated);
        Assert.True(Assert.Single(joiner.Peers.Items).IsAuthenticated);
        var peerTraffic = hostSocket.Sent.Concat(joinerSocket.Sent).Where(d => !d.To.Equals(world.Server.EndPoint)).ToList();
        Assert.True(peerTraffic.Count > 6);
        Assert.All(peerTraffic, d => Assert.StartsWith("{\"type\":\"sealed-peer-datagram\",", d.Text, StringComparison.Ordinal));
        Assert.DoesNotContain(hostSocket.Sent.Concat(joinerSocket.Sent), d => d.Text.Contains(Secret, StringComparison.Ordinal));
        Assert.Equal(0, host.Statistics.TotalDrops);
        Assert.Equal(0, joiner.Statistics.TotalDrops);
    }

    [Fact]
    public async Task SealedUnreliableMessage_ReachesPacketObserversAsTheOpenedMessage()
    {
        // The receive path opens it without a message object; one is made for whoever observes packets.
        using var world = new ClientWorld();
        var (host, joiner, _, joining) = world.Connect(
            world.Bind(world.AddNat(NatOptions.FullCone), "192.168.1.10"), world.Bind(world.AddNat(NatOptions.FullCone), "192.168.2.20"));
        await joining;
        var packets = new List<Holepunch.Reactive.Protocol.HolepunchMessage>();
        var messages = new List<string>();
        using var s1 = host.Events.OfType<Holepunch.Reactive.Peers.Events.PacketReceived>().Subscribe(p => packets.Add(p.Message));
        using var s2 = host.UnreliableMessages.Subscribe(m => messages.Add(m.Message.GetString()!));

        joiner.SendUnreliable("room", Json(Secret));
        world.Run(TimeSpan.FromMilliseconds(100));

        Assert.Equal([Secret], messages);
        var packet = Assert.IsType<Holepunch.Reactive.Protocol.UnreliablePeerMessage>(Assert.Single(packets));
        Assert.Equal(("joiner", "room", Secret), (packet.Sender, packet.IntendedRecipient, packet.Message.GetString()));
    }

    [Fact]
    public async Task TwoOfOurPeers_Relayed_SealInsideTheRelayDatagrams()
    {
        using var world = new ClientWorld();
        world.Server.RelayEnabled = true;
        var hostSocket = new SniffingTransport(world.Bind(world.AddNat(NatOptions.Symmetric), "192.168.1.10"));
        var joinerSocket = new SniffingTransport(world.Bind(world.AddNat(NatOptions.Symmetric), "192.168.2.20"));
        var (host, joiner, _, joining) = world.Connect(hostSocket, joinerSocket);
        await joining;
        var atHost = new List<string>();
        using var s = host.ReliableMessages.Subscribe(m => atHost.Add(m.Message.GetString()!));

        var sent = joiner.SendReliableAsync("room", Json(Secret));
        world.Run(TimeSpan.FromSeconds(2));

        Assert.True(sent.IsCompletedSuccessfully);
        Assert.Equal([Secret], atHost);
        var peer = Assert.Single(host.Peers.Items);
        Assert.Equal((PeerAddressKind.Relay, true), (peer.Via, peer.IsAuthenticated));
        var relayed = joinerSocket.Sent.Where(d => d.Text.Contains("\"type\":\"relay-datagram\"", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(relayed);
        Assert.All(relayed, d => Assert.Contains("\"payload\":{\"type\":\"sealed-peer-datagram\",", d.Text, StringComparison.Ordinal));
        Assert.DoesNotContain(hostSocket.Sent.Concat(joinerSocket.Sent), d => d.Text.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AttackerOnThePeersAddress_PlainForgedReplayedOrTampered_IsDroppedCountedAndDeliversNothing()
    {
        using var world = new ClientWorld();
        var hostNat = world.AddNat(NatOptions.FullCone);
        var joinerHost = world.Network.AddHost(JoinerAddress);
        var joinerSocket = new SniffingTransport(joinerHost.Bind(4000));
        var (host, joiner, _, joining) = world.Connect(world.Bind(hostNat, "192.168.1.10"), world.Own(joinerSocket));
        await joining;
        var hostGlobal = new IPEndPoint(hostNat.PublicAddress, 4000);
        var delivered = new List<PeerMessage>();
        using var s1 = host.ReliableMessages.Subscribe(delivered.Add);
        using var s2 = host.UnreliableMessages.Subscribe(delivered.Add);
        joiner.SendUnreliable("room", Json("genuine"));
        world.Run(TimeSpan.FromMilliseconds(100));
        var genuine = joinerSocket.Sent.Last(d => d.To.Equals(hostGlobal)).Text;
        Assert.Single(delivered);

        // The joiner goes away; an attacker takes its address and port, which the host still has on record.
        joinerSocket.Dispose();
        using var attacker = joinerHost.Bind(4000);
        var before = host.Statistics.Drops;
        void Send(string json) => attacker.Send(System.Text.Encoding.UTF8.GetBytes(json), hostGlobal);
        Send("{\"message\":\"evil\",\"type\":\"unreliable-peer-message\",\"sender\":\"joiner\",\"intended-recipient\":\"room\"}");
        Send("{\"message\":\"evil\",\"message-id\":7,\"type\":\"reliable-peer-message\",\"sender\":\"joiner\",\"intended-recipient\":\"room\"}");
        Send("{\"type\":\"sealed-peer-datagram\",\"sender\":\"joiner\",\"intended-recipient\":\"room\",\"nonce\":500,\"ciphertext\":\"" + new string('A', 120) + "\"}");
        Send(genuine);
        Send(Tamper(genuine));
        Send(genuine.Replace("\"nonce\":", "\"nonce\":9000", StringComparison.Ordinal)); // a fresh nonce the tag does not cover
        world.Run(TimeSpan.FromMilliseconds(100));

        Assert.Single(delivered);
        var drops = host.Statistics.Drops;
        long Added(string reason) => drops.GetValueOrDefault(reason) - before.GetValueOrDefault(reason);
        Assert.Equal(2, Added("unsealed-from-secure-peer"));
        Assert.Equal(3, Added("unauthentic-sealed-datagram"));
        Assert.Equal(1, Added("replayed-sealed-datagram"));
        Assert.Single(host.Peers.Items);
    }

    [Fact]
    public async Task SealedDatagram_ReplayedFromTheGenuineAddress_IsDeliveredOnce()
    {
        using var world = new ClientWorld();
        var joinerSocket = new SniffingTransport(world.Bind(world.AddNat(NatOptions.FullCone), "192.168.2.20"));
        var hostNat = world.AddNat(NatOptions.FullCone);
        var (host, joiner, _, joining) = world.Connect(world.Bind(hostNat, "192.168.1.10"), joinerSocket);
        await joining;
        var hostGlobal = new IPEndPoint(hostNat.PublicAddress, 4000);
        var delivered = new List<PeerMessage>();
        using var s = host.UnreliableMessages.Subscribe(delivered.Add);
        joiner.SendUnreliable("room", Json("once"));
        world.Run(TimeSpan.FromMilliseconds(100));
        var genuine = joinerSocket.Sent.Last(d => d.To.Equals(hostGlobal)).Text;

        for (var copy = 0; copy < 3; copy++)
        {
            joinerSocket.Send(System.Text.Encoding.UTF8.GetBytes(genuine), hostGlobal);
        }

        world.Run(TimeSpan.FromMilliseconds(100));

        Assert.Single(delivered);
        Assert.Equal(3, host.Statistics.Drops.GetValueOrDefault("replayed-sealed-datagram"));
    }

    [Fact]
    public void GodotJoiner_StaysPlainAndUnauthenticated()
    {
        var (world, host, godot, hostGlobal, _) = ClientWorld.HostWithGodotJoiner();
        using var scope = world;
        var delivered = new List<PeerMessage>();
        using var s = host.UnreliableMessages.Subscribe(delivered.Add);

        godot.Send("{\"used-global\":true,\"type\":\"local-global-inquiry-response\",\"sender\":\"godot\",\"intended-recipient\":\"room\"}", hostGlobal);
        godot.Send("{\"message\":\"hi\",\"type\":\"peer-message\",\"sender\":\"godot\",\"intended-recipient\":\"room\"}", hostGlobal);
        godot.Send("{\"type\":\"sealed-peer-datagram\",\"sender\":\"godot\",\"intended-recipient\":\"room\",\"nonce\":0,\"ciphertext\":\"AAAAAAAAAAAAAAAAAAAAAA\"}", hostGlobal);
        world.Run(TimeSpan.FromMilliseconds(100));

        Assert.False(Assert.Single(host.Peers.Items).IsAuthenticated);
        Assert.Equal("hi", Assert.Single(delivered).Message.GetString());
        Assert.Equal(1, host.Statistics.Drops.GetValueOrDefault("sealed-from-plain-peer"));
        Assert.DoesNotContain(godot.ReceivedFrom(hostGlobal), t => t.Contains("sealed-peer-datagram", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OneSideWithoutSecurePeers_BothStayPlain()
    {
        using var world = new ClientWorld();
        var host = world.Client(world.Options(world.Bind(world.AddNat(NatOptions.FullCone), "192.168.1.10")) with { SecurePeers = false });
        var joinerSocket = new SniffingTransport(world.Bind(world.AddNat(NatOptions.FullCone), "192.168.2.20"));
        var joiner = world.Client(joinerSocket);
        _ = host.HostAsync("room");
        world.Run(TimeSpan.FromSeconds(1));
        var joining = joiner.JoinAsync("joiner", "room");
        world.Run(TimeSpan.FromSeconds(2));
        await joining;

        Assert.False(Assert.Single(host.Peers.Items).IsAuthenticated);
        Assert.False(Assert.Single(joiner.Peers.Items).IsAuthenticated);
        Assert.DoesNotContain(world.Server.RawReceived, t => t.StartsWith("{\"type\":\"registering-server\"", StringComparison.Ordinal) && t.Contains("peer-key", StringComparison.Ordinal));
        Assert.DoesNotContain(joinerSocket.Sent, d => d.Text.Contains("sealed-peer-datagram", StringComparison.Ordinal));
    }

    [Fact]
    public void IntroductionWithAnUnusableKey_IsRefusedRatherThanDowngraded()
    {
        using var world = new ClientWorld();
        var hostNat = world.AddNat(NatOptions.FullCone);
        var host = world.Client(world.Bind(hostNat, "192.168.1.10"));
        var godot = world.Own(new GodotPeer(world.Bind(world.AddNat(NatOptions.FullCone), "192.168.2.20")));
        _ = host.HostAsync("room");
        world.Run(TimeSpan.FromSeconds(1));

        godot.Send("{\"type\":\"requesting-to-join-server\",\"local-address\":[\"192.168.2.20\",4000.0],\"server-name\":\"room\",\"sender\":\"mallory\",\"intended-recipient\":\"\",\"peer-key\":\"not-a-key\"}", world.Server.EndPoint);
        world.Run(TimeSpan.FromMilliseconds(200));

        Assert.Equal(1, host.Statistics.Drops.GetValueOrDefault("bad-peer-key"));
        Assert.Empty(godot.ReceivedFrom(new IPEndPoint(hostNat.PublicAddress, 4000)));
    }

    [Fact]
    public async Task PeerRestartsOnTheSameAddressWithANewKey_IsANewSealedSession()
    {
        using var world = new ClientWorld();
        var joinerHost = world.Network.AddHost(JoinerAddress);
        var firstSocket = joinerHost.Bind(4000);
        var (host, first, _, joining) = world.Connect(world.Bind(world.AddNat(NatOptions.FullCone), "192.168.1.10"), world.Own(firstSocket));
        await joining;
        var atHost = new List<string>();
        using var s = host.ReliableMessages.Subscribe(m => atHost.Add(m.Message.GetString()!));

        await first.DisposeAsync();
        firstSocket.Dispose();
        var second = world.Client(world.Own(joinerHost.Bind(4000)));
        var rejoining = second.JoinAsync("joiner", "room");
        world.Run(TimeSpan.FromSeconds(2));
        Assert.True(rejoining.IsCompletedSuccessfully);
        var sent = second.SendReliableAsync("room", Json("again"));
        world.Run(TimeSpan.FromSeconds(1));

        Assert.True(sent.IsCompletedSuccessfully);
        Assert.Equal(["again"], atHost);
        Assert.True(Assert.Single(host.Peers.Items).IsAuthenticated);
    }

    /// <summary>Flips one character in the middle of the ciphertext.</summary>
    private static string Tamper(string sealedJson)
    {
        var start = sealedJson.IndexOf("\"ciphertext\":\"", StringComparison.Ordinal) + 14;
        var at = start + 10;
        var flipped = sealedJson[at] == 'A' ? 'B' : 'A';
        return string.Concat(sealedJson.AsSpan(0, at), flipped.ToString(), sealedJson.AsSpan(at + 1));
    }
}
