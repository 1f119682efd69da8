using Xunit.Abstractions;

namespace Holepunch.Reactive.IntegrationTests.NatLab;

/// <summary>Two hosts behind NATs that pick a random port per destination, both offering the relay: they connect through the server.</summary>
public sealed class RelayNatTests(ITestOutputHelper output) : NatLabTest(output)
{
    [NatLabFact]
    public async Task HostsBehindPortRandomisingNats_ConnectViaTheRelay_AndExchangeMessagesBothWays()
    {
        var lab = await CreateLabAsync(NatBehavior.RandomPort, NatBehavior.RandomPort);
        await lab.StartServerAsync();
        string[] punch = ["--punch-timeout", "0.5", "--punch-attempts", "3"];
        var host = lab.StartHost(lab.HostA1, Room, HostPort, punch);
        await host.WaitForEventAsync("registered", null, Startup);
        var join = lab.StartJoin(lab.HostB, Joiner, Room, JoinPort, punch);

        var hostSeen = await join.WaitForEventAsync("peer-confirmed", static e => e["peer"] == Room, Startup + Punch);
        var joinerSeen = await host.WaitForEventAsync("peer-confirmed", static e => e["peer"] == Joiner, Punch);

        // Both reach each other through the rendezvous server's relay.
        Assert.Equal("relay", hostSeen["via"]);
        Assert.Equal($"{NatLab.ServerAddress}:{NatLab.ServerPort}", hostSeen.Address.ToString());
        Assert.Equal("relay", joinerSeen["via"]);

        await host.SendLineAsync("hello from a1");
        await join.SendLineAsync("hello from b1");
        var atJoiner = await join.WaitForEventAsync("message", static e => e["message"] == "hello from a1", Delivery);
        var atHost = await host.WaitForEventAsync("message", static e => e["message"] == "hello from b1", Delivery);
        await host.WaitForEventAsync("delivered", static e => e["peer"] == Joiner, Delivery);
        await join.WaitForEventAsync("delivered", static e => e["peer"] == Room, Delivery);

        Assert.Equal(Room, atJoiner["peer"]);
        Assert.Equal(Joiner, atHost["peer"]);
        Assert.Equal(0, await lab.PublicUntranslatedPacketsAsync());

        join.CloseInput();
        Assert.Equal(0, await join.WaitForExitAsync(Exit));
        host.CloseInput();
        Assert.Equal(0, await host.WaitForExitAsync(Exit));
    }
}
