using Xunit.Abstractions;

namespace Holepunch.Reactive.IntegrationTests.NatLab;

/// <summary>Two hosts behind two cone-like NATs (plain masquerade): they punch through and talk.</summary>
public sealed class ConeNatTests(ITestOutputHelper output) : NatLabTest(output)
{
    [NatLabFact]
    public async Task HostsBehindDifferentConeNats_ConnectViaGlobalAddresses_AndExchangeMessagesBothWays()
    {
        var lab = await CreateLabAsync(NatBehavior.Cone, NatBehavior.Cone);
        await lab.StartServerAsync();
        var host = lab.StartHost(lab.HostA1, Room, HostPort);
        await host.WaitForEventAsync("registered", null, Startup);
        var join = lab.StartJoin(lab.HostB, Joiner, Room, JoinPort);

        var hostSeen = await join.WaitForEventAsync("peer-confirmed", static e => e["peer"] == Room, Startup + Punch);
        var joinerSeen = await host.WaitForEventAsync("peer-confirmed", static e => e["peer"] == Joiner, Punch);

        // Each reaches the other at its router's public address, on the port the masquerade preserved.
        Assert.Equal("global", hostSeen["via"]);
        Assert.Equal($"{NatLab.RouterAPublicAddress}:{HostPort}", hostSeen.Address.ToString());
        Assert.Equal("global", joinerSeen["via"]);
        Assert.Equal($"{NatLab.RouterBPublicAddress}:{JoinPort}", joinerSeen.Address.ToString());

        await host.SendLineAsync("hello from a1");
        await join.SendLineAsync("hello from b1");
        var atJoiner = await join.WaitForEventAsync("message", static e => e["message"] == "hello from a1", Delivery);
        var atHost = await host.WaitForEventAsync("message", static e => e["message"] == "hello from b1", Delivery);
        await host.WaitForEventAsync("delivered", static e => e["peer"] == Joiner, Delivery);
        await join.WaitForEventAsync("delivered", static e => e["peer"] == Room, Delivery);

        Assert.Equal(Room, atJoiner["peer"]);
        Assert.Equal("true", atJoiner["reliable"]);
        Assert.Equal(Joiner, atHost["peer"]);
        // The punch and the messages crossed the public segment from router to router, and only public addresses did.
        Assert.True(await lab.PublicPeerPacketsAsync() > 0, "no peer packets crossed the public segment");
        Assert.Equal(0, await lab.PublicUntranslatedPacketsAsync());

        join.CloseInput();
        Assert.Equal(0, await join.WaitForExitAsync(Exit));
        host.CloseInput();
        Assert.Equal(0, await host.WaitForExitAsync(Exit));
    }
}
