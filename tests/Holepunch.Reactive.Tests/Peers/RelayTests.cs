using System.Text.Json;
using Holepunch.Reactive.Peers;
using Holepunch.Reactive.Peers.Events;
using Holepunch.Reactive.Testing.Network;

namespace Holepunch.Reactive.Tests.Peers;

public sealed class RelayTests
{
    private static JsonElement Json<T>(T value) => JsonSerializer.SerializeToElement(value);

    [Fact]
    public async Task SymmetricNats_BothRelayCapable_ConnectThroughTheRelayAndTalk()
    {
        using var world = new ClientWorld();
        world.Server.RelayEnabled = true;
        var (host, joiner, _, joining) = world.Connect(
            world.Bind(world.AddNat(NatOptions.Symmetric), "192.168.1.10"),
            world.Bind(world.AddNat(NatOptions.Symmetric), "192.168.2.20"));

        await joining;
        Assert.Equal(PeerAddressKind.Relay, Assert.Single(host.Peers.Items).Via);
        Assert.Equal(PeerAddressKind.Relay, Assert.Single(joiner.Peers.Items).Via);
        var atHost = new List<long>();
        var atJoiner = new List<long>();
        using var s1 = host.ReliableMessages.Subscribe(m => atHost.Add(m.Message.GetInt64()));
        using var s2 = joiner.ReliableMessages.Subscribe(m => atJoiner.Add(m.Message.GetInt64()));

        var sends = Enumerable.Range(0, 20).SelectMany(i => new[] { joiner.SendReliableAsync("room", Json(i)), host.SendReliableAsync("joiner", Json(i)) }).ToArray();
        world.Run(TimeSpan.FromSeconds(2));

        Assert.All(sends, s => Assert.True(s.IsCompletedSuccessfully));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), atHost.Order());
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), atJoiner.Order());
        // 80 messages and their acknowledgements, batched (both sides announce batch): fewer datagrams, all relayed.
        Assert.True(world.Server.RelayedDatagrams > 4);
    }

    [Fact]
    public async Task SymmetricNats_RelayFailsToo_HandshakeTimeoutSaysWhatWasTriedAndHeard()
    {
        using var world = new ClientWorld();
        var hostNat = world.AddNat(NatOptions.Symmetric);
        var host = world.Client(world.Bind(hostNat, "192.168.1.10"));
        var joiner = world.Client(world.Bind(world.AddNat(NatOptions.Symmetric), "192.168.2.20"));
        var timeouts = new List<PeerHandshakeTimedOut>();
        using var s = joiner.PeerHandshakeTimeouts.Subscribe(timeouts.Add);
        _ = host.HostAsync("room");
        world.Run(TimeSpan.FromSeconds(1));

        var joining = joiner.JoinAsync("joiner", "room");
        world.Run(TimeSpan.FromSeconds(10));

        await Assert.ThrowsAsync<PeerHandshakeTimeoutException>(() => joining);
        var timeout = Assert.Single(timeouts);
        Assert.False(timeout.TriedRelay); // this server issued no relay token
        Assert.Equal(2, timeout.Tried.Count);
        Assert.Empty(timeout.Heard);
    }

    [Fact]
    public async Task RelayedPair_NatStartsPreservingMappings_UpgradesToDirectWithoutLosingAMessage()
    {
        using var world = new ClientWorld();
        world.Server.RelayEnabled = true;
        var hostNat = world.AddNat(NatOptions.Symmetric);
        var joinerNat = world.AddNat(NatOptions.Symmetric);
        var (host, joiner, _, joining) = world.Connect(world.Bind(hostNat, "192.168.1.10"), world.Bind(joinerNat, "192.168.2.20"));
        await joining;
        var changes = new List<PeerPathChanged>();
        var received = new List<long>();
        using var s1 = host.Events.Subscribe(e => { if (e is PeerPathChanged c) changes.Add(c); });
        using var s2 = host.ReliableMessages.Subscribe(m => received.Add(m.Message.GetInt64()));

        hostNat.Options = NatOptions.PortRestrictedCone;
        joinerNat.Options = NatOptions.PortRestrictedCone;
        var sends = new List<Task<DeliveryReceipt>>();
        for (var i = 0; i < 150; i++)
        {
            sends.Add(joiner.SendReliableAsync("room", Json(i)));
            world.Run(TimeSpan.FromMilliseconds(500));
        }

        world.Run(TimeSpan.FromSeconds(5));

        Assert.Equal(PeerAddressKind.Global, Assert.Single(host.Peers.Items).Via);
        Assert.Equal(PeerAddressKind.Global, Assert.Single(joiner.Peers.Items).Via);
        Assert.Equal(PeerAddressKind.Global, Assert.Single(changes).Peer.Via);
        Assert.All(sends, s => Assert.True(s.IsCompletedSuccessfully));
        Assert.Equal(Enumerable.Range(0, 150).Select(i => (long)i), received.Order());
    }

    [Fact]
    public async Task DirectPairWhosePathDies_FallsBackToTheRelayWithoutLosingAMessage()
    {
        using var world = new ClientWorld();
        world.Server.RelayEnabled = true;
        var hostNat = world.AddNat(NatOptions.FullCone);
        var joinerNat = world.AddNat(NatOptions.FullCone);
        var host = world.Client(world.Options(world.Bind(hostNat, "192.168.1.10")));
        var joiner = world.Client(world.Options(world.Bind(joinerNat, "192.168.2.20")) with
        {
            // Longer than a check interval plus a failed check: messages sent into the dead path survive the switch.
            ReliableRetry = new Holepunch.Reactive.Resilience.RequestRetryOptions { MaxAttempts = 30 },
        });
        _ = host.HostAsync("room");
        world.Run(TimeSpan.FromSeconds(1));
        var joining = joiner.JoinAsync("joiner", "room");
        world.Run(TimeSpan.FromSeconds(5));
        await joining;
        Assert.Equal(PeerAddressKind.Global, Assert.Single(joiner.Peers.Items).Via);
        var dropped = new List<PeerDropped>();
        var received = new List<long>();
        using var s1 = host.PeerDrops.Subscribe(dropped.Add);
        using var s2 = host.ReliableMessages.Subscribe(m => received.Add(m.Message.GetInt64()));

        world.Network.Block(hostNat.PublicAddress, joinerNat.PublicAddress);
        var sends = new List<Task<DeliveryReceipt>>();
        for (var i = 0; i < 60; i++)
        {
            sends.Add(joiner.SendReliableAsync("room", Json(i)));
            world.Run(TimeSpan.FromMilliseconds(500));
        }

        world.Run(TimeSpan.FromSeconds(30));

        Assert.Empty(dropped);
        Assert.Equal(PeerAddressKind.Relay, Assert.Single(host.Peers.Items).Via);
        Assert.Equal(PeerAddressKind.Relay, Assert.Single(joiner.Peers.Items).Via);
        Assert.All(sends, s => Assert.True(s.IsCompletedSuccessfully));
        Assert.Equal(Enumerable.Range(0, 60).Select(i => (long)i), received.Order());
    }
}
