using Holepunch.Reactive.Peers;
using Holepunch.Reactive.Peers.Events;
using Holepunch.Reactive.Testing.Network;

namespace Holepunch.Reactive.Tests.Peers;

public sealed class EventOrderTests
{
    [Fact]
    public async Task HostAndJoiner_SeeRegisteredLinkedConfirmedInThatOrder()
    {
        using var world = new ClientWorld();
        var host = world.Client(world.Bind(world.AddNat(NatOptions.PortRestrictedCone), "192.168.1.10"));
        var joiner = world.Client(world.Bind(world.AddNat(NatOptions.PortRestrictedCone), "192.168.2.20"));
        var hostEvents = new List<HolepunchEvent>();
        var joinerEvents = new List<HolepunchEvent>();
        using var s1 = host.Events.Subscribe(e => { if (e is not PacketReceived) hostEvents.Add(e); });
        using var s2 = joiner.Events.Subscribe(e => { if (e is not PacketReceived) joinerEvents.Add(e); });

        _ = host.HostAsync("room");
        world.Run(TimeSpan.FromSeconds(1));
        var joining = joiner.JoinAsync("joiner", "room");
        world.Run(TimeSpan.FromSeconds(1));
        await joining;

        Assert.Collection(
            hostEvents,
            e => Assert.Equal(new Registered("room"), e),
            e => Assert.Equal("joiner", Assert.IsType<Linked>(e).PeerName),
            e => Assert.Equal("joiner", Assert.IsType<PeerConfirmed>(e).Peer.Name));
        Assert.Collection(
            joinerEvents,
            e => Assert.Equal("room", Assert.IsType<Linked>(e).PeerName),
            e => Assert.Equal("room", Assert.IsType<PeerConfirmed>(e).Peer.Name));
        Assert.Equal(("joiner", "room", false), (joiner.Name, joiner.RoomName, joiner.IsHost));
    }

    [Fact]
    public async Task RepeatedIntroduction_IsIgnoredButAPeerFromANewAddressReplacesTheOld()
    {
        using var world = new ClientWorld();
        var (host, _, _, joining) = world.Connect(
            world.Bind(world.AddNat(NatOptions.FullCone), "192.168.1.10"),
            world.Bind(world.AddNat(NatOptions.FullCone), "192.168.2.20"));
        await joining;
        var events = new List<HolepunchEvent>();
        using var s = host.Events.Subscribe(e => { if (e is not PacketReceived) events.Add(e); });
        var joinerView = Assert.Single(host.Peers.Items);

        var same = new Holepunch.Reactive.Protocol.ProvidingPeerHandshakeInfo("room", "joiner", joinerView.EndPoint, System.Net.IPEndPoint.Parse("192.168.2.20:4000"))
        {
            // The same introduction includes the same key: a new key would be a new session.
            PeerKey = world.Server.ReceivedOf<Holepunch.Reactive.Protocol.RequestingToJoinServer>().First().PeerKey,
        };
        var hostGlobal = world.Server.Received.First(r => r.Message is Holepunch.Reactive.Protocol.RegisteringServer).From;
        world.Server.Send(same, hostGlobal);
        world.Run(TimeSpan.FromMilliseconds(100));
        Assert.Empty(events);

        world.Server.Send(same with { GlobalEndPoint = System.Net.IPEndPoint.Parse("198.51.100.77:4000") }, hostGlobal);
        world.Run(TimeSpan.FromMilliseconds(100));
        Assert.Equal(new PeerDropped("joiner", PeerDropReason.Replaced), events[0]);
        Assert.IsType<Linked>(events[1]);
    }
}
