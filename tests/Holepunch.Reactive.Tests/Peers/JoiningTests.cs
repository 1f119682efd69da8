using System.Net;
using Holepunch.Reactive.Collections;
using Holepunch.Reactive.Peers;
using Holepunch.Reactive.Peers.Events;
using Holepunch.Reactive.Protocol;
using Holepunch.Reactive.Testing.Network;

namespace Holepunch.Reactive.Tests.Peers;

public sealed class JoiningTests
{
    [Fact]
    public async Task PortRestrictedConeNats_PeersConfirmEachOtherThroughGlobalAddresses()
    {
        using var world = new ClientWorld();
        var hostNat = world.AddNat(NatOptions.PortRestrictedCone);
        var joinerNat = world.AddNat(NatOptions.PortRestrictedCone);
        var (host, joiner, _, joining) = world.Connect(world.Bind(hostNat, "192.168.1.10"), world.Bind(joinerNat, "192.168.2.20"));

        await joining;
        var hostView = Assert.Single(joiner.Peers.Items);
        Assert.Equal(("room", PeerAddressKind.Global, hostNat.PublicAddress), (hostView.Name, hostView.Via, hostView.EndPoint.Address));
        var joinerView = Assert.Single(host.Peers.Items);
        Assert.Equal(("joiner", PeerAddressKind.Global, joinerNat.PublicAddress), (joinerView.Name, joinerView.Via, joinerView.EndPoint.Address));
    }

    [Fact]
    public async Task SameNatWithoutHairpin_PeersChooseTheirLocalAddresses()
    {
        using var world = new ClientWorld();
        var nat = world.AddNat(NatOptions.PortRestrictedCone with { Hairpinning = false });
        var (host, joiner, _, joining) = world.Connect(world.Bind(nat, "192.168.1.10"), world.Bind(nat, "192.168.1.11"));

        await joining;
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.168.1.10"), 4000), Assert.Single(joiner.Peers.Items).EndPoint);
        Assert.Equal(PeerAddressKind.Local, Assert.Single(joiner.Peers.Items).Via);
        Assert.Equal(PeerAddressKind.Local, Assert.Single(host.Peers.Items).Via);
    }

    [Fact]
    public async Task SameNatWithHairpin_LanAnswerArrivesFirstAndWins()
    {
        using var world = new ClientWorld();
        var nat = world.AddNat(NatOptions.FullCone);
        var (host, joiner, _, joining) = world.Connect(world.Bind(nat, "192.168.1.10"), world.Bind(nat, "192.168.1.11"));

        await joining;
        Assert.Equal(PeerAddressKind.Local, Assert.Single(joiner.Peers.Items).Via);
        Assert.Equal(PeerAddressKind.Local, Assert.Single(host.Peers.Items).Via);
    }

    [Fact]
    public async Task SymmetricNats_HandshakeTimesOutAndJoinerTerminates()
    {
        using var world = new ClientWorld();
        var hostNat = world.AddNat(NatOptions.Symmetric);
        var joinerNat = world.AddNat(NatOptions.Symmetric);
        var host = world.Client(world.Bind(hostNat, "192.168.1.10"));
        var joiner = world.Client(world.Bind(joinerNat, "192.168.2.20"));
        var hostTimeouts = new List<(TimeSpan, PeerHandshakeTimedOut)>();
        using var subscription = host.PeerHandshakeTimeouts.Subscribe(e => hostTimeouts.Add((world.Now, e)));
        _ = host.HostAsync("room");
        world.Run(TimeSpan.FromSeconds(1));

        var joining = joiner.JoinAsync("joiner", "room");
        world.Run(TimeSpan.FromSeconds(10));

        await Assert.ThrowsAsync<PeerHandshakeTimeoutException>(() => joining);
        var (at, timeout) = Assert.Single(hostTimeouts);
        Assert.Equal("joiner", timeout.PeerName);
        Assert.Equal(2, timeout.Tried.Count);

        // Introduced at ~1.04 s (join and introduction cross two links of 10 ms each): three attempts of 1 s each.
        Assert.InRange(at.TotalSeconds, 4.0, 4.1);
        Assert.Empty(host.Peers.Items);
        Assert.False(host.Completion.IsCompleted);
        Assert.True(joiner.Completion.IsCompleted);
    }

    [Fact]
    public async Task JoinAsync_UnknownRoom_FaultsWithTheServersWords()
    {
        using var world = new ClientWorld();
        var joiner = world.Client(world.Bind(world.AddNat(NatOptions.FullCone), "192.168.2.20"));

        var joining = joiner.JoinAsync("joiner", "nowhere");
        world.Run(TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<RendezvousServerException>(() => joining);
        Assert.Equal("nowhere not found", error.Message);
    }

    [Fact]
    public async Task JoinAsync_SilentServer_ResendsAtOneSecondIntervalsThenTimesOut()
    {
        using var world = new ClientWorld();
        world.Server.Silent = true;
        var joiner = world.Client(world.Bind(world.AddNat(NatOptions.FullCone), "192.168.2.20"));

        var joining = joiner.JoinAsync("joiner", "room");
        world.Run(TimeSpan.FromSeconds(5));

        await Assert.ThrowsAsync<RendezvousTimeoutException>(() => joining);
        Assert.Equal([0.02, 1.02, 2.02], world.Server.Received.Select(r => Math.Round(TimeSpan.FromTicks(r.Ticks).TotalSeconds, 2)));
        Assert.All(world.Server.ReceivedOf<RequestingToJoinServer>(), j => Assert.Equal("room", j.ServerName));
    }

    [Fact]
    public async Task PeersConnect_EmitsAddThenRoundTripUpdatesThenRemoveOnDrop()
    {
        using var world = new ClientWorld();
        var (host, _, _, joining) = world.Connect(
            world.Bind(world.AddNat(NatOptions.FullCone), "192.168.1.10"),
            world.Bind(world.AddNat(NatOptions.FullCone), "192.168.2.20"));
        await joining;
        var changes = new List<Change<PeerInfo, string>>();
        using var subscription = host.Peers.Connect().Subscribe(set => changes.AddRange(set));

        host.DropPeer("joiner");
        world.Run(TimeSpan.FromSeconds(1));

        Assert.Collection(
            changes,
            c => Assert.Equal((ChangeReason.Add, "joiner"), (c.Reason, c.Key)),
            c => Assert.Equal((ChangeReason.Remove, "joiner"), (c.Reason, c.Key)));
        Assert.Empty(host.Peers.Items);
    }

    [Fact]
    public async Task PeerConfirmed_CarriesTheMeasuredRoundTrip()
    {
        using var world = new ClientWorld(new LinkOptions { Latency = TimeSpan.FromMilliseconds(25) });
        var events = new List<PeerConfirmed>();
        var hostSocket = world.Bind(world.AddNat(NatOptions.FullCone), "192.168.1.10");
        var joinerSocket = world.Bind(world.AddNat(NatOptions.FullCone), "192.168.2.20");
        var host = world.Client(hostSocket);
        using var subscription = host.PeerConfirmations.Subscribe(events.Add);
        _ = host.HostAsync("room");
        world.Run(TimeSpan.FromSeconds(1));
        var joining = world.Client(joinerSocket).JoinAsync("joiner", "room");
        world.Run(TimeSpan.FromSeconds(2));

        await joining;
        var confirmed = Assert.Single(events);

        // Each hop crosses two access links of 25 ms: 100 ms there and back (plus the test scheduler's
        // one tick for each hop onto the client's scheduler).
        Assert.InRange(confirmed.Peer.RoundTripTime, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100.01));
    }
}
