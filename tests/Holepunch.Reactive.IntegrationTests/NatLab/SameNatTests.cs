using Xunit.Abstractions;

namespace Holepunch.Reactive.IntegrationTests.NatLab;

/// <summary>Two hosts behind the same NAT: they find each other on the LAN.</summary>
public sealed class SameNatTests(ITestOutputHelper output) : NatLabTest(output)
{
    [NatLabFact]
    public async Task HostsBehindTheSameNat_ConnectViaLocalAddresses()
    {
        var lab = await CreateLabAsync(NatBehavior.Cone, NatBehavior.Cone);
        await lab.StartServerAsync();
        var host = lab.StartHost(lab.HostA1, Room, HostPort);
        await host.WaitForEventAsync("registered", null, Startup);
        var join = lab.StartJoin(lab.HostA2, Joiner, Room, JoinPort);

        var hostSeen = await join.WaitForEventAsync("peer-confirmed", static e => e["peer"] == Room, Startup + Punch);
        var joinerSeen = await host.WaitForEventAsync("peer-confirmed", static e => e["peer"] == Joiner, Punch);

        Assert.Equal("local", hostSeen["via"]);
        Assert.Equal($"{NatLab.HostA1Address}:{HostPort}", hostSeen.Address.ToString());
        Assert.Equal("local", joinerSeen["via"]);
        Assert.Equal($"{NatLab.HostA2Address}:{JoinPort}", joinerSeen.Address.ToString());

        await join.SendLineAsync("over the LAN");
        await host.WaitForEventAsync("message", static e => e["message"] == "over the LAN", Delivery);
        await host.SendLineAsync("and back");
        await join.WaitForEventAsync("message", static e => e["message"] == "and back", Delivery);

        // The peers' traffic stayed on LAN A: host to host across its bridge, never router to router.
        Assert.True(await lab.LanAPeerPacketsAsync() > 0, "no peer packets crossed LAN A");
        Assert.Equal(0, await lab.PublicPeerPacketsAsync());

        join.CloseInput();
        Assert.Equal(0, await join.WaitForExitAsync(Exit));
        host.CloseInput();
        Assert.Equal(0, await host.WaitForExitAsync(Exit));
    }
}
