using Holepunch.Reactive.Peers;
using Holepunch.Reactive.Peers.Events;
using Holepunch.Reactive.Protocol;
using Holepunch.Reactive.Testing.Network;

namespace Holepunch.Reactive.Tests.Peers;

public sealed class LivenessTests
{
    [Fact]
    public async Task SilentJoiner_HostRemovesItExactlyWhenTheCheckPolicyRunsOut()
    {
        using var world = new ClientWorld();
        var joinerSocket = world.Bind(world.AddNat(NatOptions.FullCone), "192.168.2.20");
        var host = world.Client(world.Bind(world.AddNat(NatOptions.FullCone), "192.168.1.10"));
        var confirmedAt = TimeSpan.Zero;
        var timedOutAt = TimeSpan.Zero;
        var events = new List<HolepunchEvent>();
        using var s1 = host.PeerConfirmations.Subscribe(_ => confirmedAt = world.Now);
        using var s2 = host.PeerCheckTimeouts.Subscribe(_ => timedOutAt = world.Now);
        using var s3 = host.Events.Subscribe(e => { if (e is PeerDropped or PeerCheckTimedOut) events.Add(e); });
        _ = host.HostAsync("room");
        world.Run(TimeSpan.FromSeconds(1));
        var joining = world.Client(joinerSocket).JoinAsync("joiner", "room");
        world.Run(TimeSpan.FromSeconds(1));
        await joining;

        joinerSocket.Dispose(); // the joiner vanishes without a word
        world.Run(TimeSpan.FromSeconds(30));

        // First check 15 s after confirmation, re-sent at +16 and +17 s, given up at +18 s.
        Assert.Equal(TimeSpan.FromSeconds(18), timedOutAt - confirmedAt);
        Assert.Equal([new PeerCheckTimedOut("joiner"), new PeerDropped("joiner", PeerDropReason.CheckTimeout)], events);
        Assert.Empty(host.Peers.Items);
        Assert.False(host.Completion.IsCompleted);
    }

    [Fact]
    public async Task HealthyPeers_KeepCheckingEachOtherEveryFifteenSeconds()
    {
        using var world = new ClientWorld();
        var (host, joiner, _, joining) = world.Connect(
            world.Bind(world.AddNat(NatOptions.PortRestrictedCone), "192.168.1.10"),
            world.Bind(world.AddNat(NatOptions.PortRestrictedCone), "192.168.2.20"));
        await joining;
        var checks = new List<TimeSpan>();
        using var subscription = host.PacketsReceived.Subscribe(p => { if (p.Message is PeerCheck) checks.Add(world.Now); });

        world.Run(TimeSpan.FromMinutes(5));

        Assert.Equal(20, checks.Count);
        Assert.All(checks.Zip(checks.Skip(1)), pair => Assert.Equal(TimeSpan.FromSeconds(15), pair.Second - pair.First));
        Assert.Single(host.Peers.Items);
        Assert.Single(joiner.Peers.Items);
    }

    [Fact]
    public async Task SilentHost_JoinerTerminates()
    {
        using var world = new ClientWorld();
        var hostSocket = world.Bind(world.AddNat(NatOptions.FullCone), "192.168.1.10");
        var (_, joiner, _, joining) = world.Connect(hostSocket, world.Bind(world.AddNat(NatOptions.FullCone), "192.168.2.20"));
        await joining;

        hostSocket.Dispose();
        world.Run(TimeSpan.FromSeconds(20));

        var terminated = await joiner.Completion;
        Assert.IsType<PeerNotConnectedException>(terminated.Error);
        Assert.Contains("room", terminated.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OneOfTwoJoinersGoesSilent_HostDropsOnlyThatOne()
    {
        using var world = new ClientWorld();
        var host = world.Client(world.Bind(world.AddNat(NatOptions.FullCone), "192.168.1.10"));
        var aliceSocket = world.Bind(world.AddNat(NatOptions.FullCone), "192.168.2.20");
        var bobSocket = world.Bind(world.AddNat(NatOptions.FullCone), "192.168.3.30");
        _ = host.HostAsync("room");
        world.Run(TimeSpan.FromSeconds(1));
        var alice = world.Client(aliceSocket).JoinAsync("alice", "room");
        var bob = world.Client(bobSocket).JoinAsync("bob", "room");
        world.Run(TimeSpan.FromSeconds(1));
        await Task.WhenAll(alice, bob);
        Assert.Equal(2, host.Peers.Count);

        aliceSocket.Dispose();
        world.Run(TimeSpan.FromSeconds(40));

        Assert.Equal("bob", Assert.Single(host.Peers.Items).Name);
    }
}
