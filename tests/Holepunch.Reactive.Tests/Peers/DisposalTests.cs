using Holepunch.Reactive.Collections;
using Holepunch.Reactive.Peers;
using Holepunch.Reactive.Peers.Events;
using Holepunch.Reactive.Testing.Network;

namespace Holepunch.Reactive.Tests.Peers;

public sealed class DisposalTests
{
    [Fact]
    public async Task Dispose_CompletesEveryStreamFailsPendingWorkAndNothingFiresAfter()
    {
        using var world = new ClientWorld();
        var (host, joiner, _, joining) = world.Connect(
            world.Bind(world.AddNat(NatOptions.FullCone), "192.168.1.10"),
            world.Bind(world.AddNat(NatOptions.FullCone), "192.168.2.20"));
        await joining;
        world.ClientHosts[1].Link = new LinkOptions { Latency = TimeSpan.FromMilliseconds(10), Loss = 1.0 }; // the joiner's
        var events = new List<HolepunchEvent>();
        var eventsCompleted = false;
        var peersCompleted = false;
        var peerChanges = new List<IChangeSet<PeerInfo, string>>();
        using var s1 = joiner.Events.Subscribe(events.Add, () => eventsCompleted = true);
        using var s2 = joiner.Peers.Connect().Subscribe(peerChanges.Add, () => peersCompleted = true);
        var pending = joiner.SendReliableAsync("room", System.Text.Json.JsonSerializer.SerializeToElement(1));
        world.Run(TimeSpan.FromMilliseconds(100));

        var joinerAddress = System.Net.IPAddress.Parse("192.168.2.20");
        var sentByJoiner = 0;
        using var s3 = world.Network.Trace.Subscribe(t => sentByJoiner += t.Source.Address.Equals(joinerAddress) ? 1 : 0);
        await joiner.DisposeAsync();
        world.Run(TimeSpan.FromMinutes(2));

        Assert.True(eventsCompleted);
        Assert.True(peersCompleted);
        Assert.IsType<ConnectionTerminated>(events[^1]);
        Assert.Null(((ConnectionTerminated)events[^1]).Error);
        await Assert.ThrowsAnyAsync<HolepunchException>(() => pending);
        Assert.Equal(0, sentByJoiner); // no resend, no peer check, no probe
        Assert.True(joiner.Completion.IsCompletedSuccessfully);
        Assert.False(host.Completion.IsCompleted);
    }

    [Fact]
    public async Task AfterDispose_SendsFailAndDisposeAgainIsHarmless()
    {
        using var world = new ClientWorld();
        var host = world.Client(world.Bind(world.AddNat(NatOptions.FullCone), "192.168.1.10"));
        _ = host.HostAsync("room");
        world.Run(TimeSpan.FromSeconds(1));

        await host.DisposeAsync();
        await host.DisposeAsync();
        host.Dispose();

        await Assert.ThrowsAsync<ConnectionTerminatedException>(() => host.SendReliableAsync("x", System.Text.Json.JsonSerializer.SerializeToElement(1)));
        Assert.Throws<ArgumentException>(() => host.SendUnreliable("x", default));
        Assert.Equal(0, host.Peers.Count);
    }

    [Fact]
    public async Task HostAsyncTwice_IsRefused()
    {
        using var world = new ClientWorld();
        var host = world.Client(world.Bind(world.AddNat(NatOptions.FullCone), "192.168.1.10"));
        _ = host.HostAsync("room");

        await Assert.ThrowsAsync<InvalidOperationException>(() => host.JoinAsync("a", "b"));
    }

    [Fact]
    public void InvalidOptions_AreReportedTogether()
    {
        var error = Assert.Throws<ArgumentException>(() => new HolepunchClient(new HolepunchClientOptions
        {
            RegistrationValidity = TimeSpan.FromSeconds(10),
            RegistrationRefreshInterval = TimeSpan.FromSeconds(20),
            ReliableWindow = 1,
        }));

        Assert.Contains("RendezvousEndPoint is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("RegistrationRefreshInterval", error.Message, StringComparison.Ordinal);
        Assert.Contains("ReliableWindow", error.Message, StringComparison.Ordinal);
    }
}
