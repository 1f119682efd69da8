using System.Reactive.Linq;
using Holepunch.Reactive.Peers;
using Holepunch.Reactive.Peers.Events;
using Holepunch.Reactive.Protocol;
using Holepunch.Reactive.Testing.Network;

namespace Holepunch.Reactive.Tests.Peers;

public sealed class HostingTests
{
    [Fact]
    public async Task HostAsync_ServerConfirms_CompletesAndPublishesRegistered()
    {
        using var world = new ClientWorld();
        var socket = world.Bind(world.AddNat(NatOptions.PortRestrictedCone), "192.168.1.10");
        var host = world.Client(socket);
        var events = new List<HolepunchEvent>();
        using var subscription = host.Events.Subscribe(events.Add);

        var hosting = host.HostAsync("room");
        world.Run(TimeSpan.FromSeconds(1));

        await hosting;
        Assert.True(host.IsHost);
        Assert.Equal("room", host.Name);
        Assert.Contains(events, e => e is Registered { Room: "room" });
        var registration = Assert.Single(world.Server.ReceivedOf<RegisteringServer>());
        Assert.Equal("room", registration.Sender);
        Assert.Equal(60, registration.SecondsBeforeExpiry);
        Assert.Equal(socket.LocalEndPoint, registration.LocalEndPoint);
    }

    [Fact]
    public void Registration_OnTheWire_CarriesBothLocalAddressSpellings()
    {
        using var world = new ClientWorld();
        var host = world.Client(world.Bind(world.AddNat(NatOptions.PortRestrictedCone), "192.168.1.10"));
        _ = host.HostAsync("room");
        world.Run(TimeSpan.FromSeconds(1));

        var wire = Assert.Single(world.Server.RawReceived);
        Assert.StartsWith("{\"type\":\"registering-server\",", wire, StringComparison.Ordinal);
        Assert.Contains("\"local-address\":[\"192.168.1.10\",4000]", wire, StringComparison.Ordinal);
        Assert.Contains("\"local-ip\":\"192.168.1.10\",\"local-port\":4000", wire, StringComparison.Ordinal);
        Assert.Contains("\"sender\":\"room\",\"intended-recipient\":\"\"", wire, StringComparison.Ordinal);

        // Extension keys come after the keys the Godot client knows; it ignores them.
        Assert.Contains(",\"capabilities\":[\"relay\",\"batch\"],\"protocol-version\":1,\"peer-key\":\"", wire, StringComparison.Ordinal);
        Assert.EndsWith("\"}", wire, StringComparison.Ordinal);
    }

    [Fact]
    public void Refresh_KeepsHostRegisteredPastItsValidity()
    {
        using var world = new ClientWorld();
        var host = world.Client(world.Bind(world.AddNat(NatOptions.PortRestrictedCone), "192.168.1.10"));
        _ = host.HostAsync("room");

        world.Run(TimeSpan.FromSeconds(181));

        var sent = world.Server.Received.Where(r => r.Message is RegisteringServer).Select(r => TimeSpan.FromTicks(r.Ticks).TotalSeconds).ToArray();
        Assert.Equal(13, sent.Length); // at start, then every 15 s up to 180 s
        Assert.All(sent.Skip(1).Zip(sent), pair => Assert.Equal(15, pair.First - pair.Second, precision: 1));
        Assert.False(host.Completion.IsCompleted);
    }

    [Fact]
    public async Task HostAsync_SilentServer_TimesOutAfterThreeAttemptsAndTerminates()
    {
        using var world = new ClientWorld();
        world.Server.Silent = true;
        var host = world.Client(world.Bind(world.AddNat(NatOptions.PortRestrictedCone), "192.168.1.10"));
        var terminated = new List<ConnectionTerminated>();
        using var subscription = host.Terminations.Subscribe(terminated.Add);

        var hosting = host.HostAsync("room");
        world.Run(TimeSpan.FromSeconds(2.9));
        Assert.False(hosting.IsCompleted);
        world.Run(TimeSpan.FromSeconds(0.2));

        await Assert.ThrowsAsync<RendezvousTimeoutException>(() => hosting);
        var attempts = world.Server.Received.Select(r => TimeSpan.FromTicks(r.Ticks)).ToArray();
        Assert.Equal(3, attempts.Length);
        Assert.Equal([0.02, 1.02, 2.02], attempts.Select(a => Math.Round(a.TotalSeconds, 2)));
        Assert.IsType<RendezvousTimeoutException>(Assert.Single(terminated).Error);
    }

    [Fact]
    public async Task ServerError_FaultsHostAsyncAndTerminatesEverything()
    {
        using var world = new ClientWorld();
        world.Server.ErrorReply = "server already exists";
        var host = world.Client(world.Bind(world.AddNat(NatOptions.PortRestrictedCone), "192.168.1.10"));
        var events = new List<HolepunchEvent>();
        var completed = false;
        using var subscription = host.Events.Subscribe(events.Add, () => completed = true);

        var hosting = host.HostAsync("room");
        world.Run(TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<RendezvousServerException>(() => hosting);
        Assert.Equal("server already exists", error.Message);
        Assert.Collection(
            events,
            e => Assert.IsType<PacketReceived>(e),
            e => Assert.Equal("server already exists", Assert.IsType<ServerErrorReceived>(e).Message),
            e => Assert.IsType<ConnectionTerminated>(e));
        Assert.True(completed);
        Assert.True(host.Completion.IsCompleted);
    }

    [Fact]
    public void StopListeningToRendezvous_StopsRefreshesAndIgnoresLaterErrors()
    {
        using var world = new ClientWorld();
        var host = world.Client(world.Bind(world.AddNat(NatOptions.FullCone), "192.168.1.10"));
        _ = host.HostAsync("room");
        world.Run(TimeSpan.FromSeconds(1));

        host.StopListeningToRendezvous();
        world.Run(TimeSpan.FromSeconds(1));
        var registration = world.Server.Received.Single();
        world.Server.Send(new ServerError("room", "late error"), registration.From);
        world.Run(TimeSpan.FromSeconds(60));

        Assert.Single(world.Server.ReceivedOf<RegisteringServer>());
        Assert.False(host.Completion.IsCompleted);
        Assert.Equal(1, host.Statistics.Drops["server-not-listened-to"]);
    }
}
