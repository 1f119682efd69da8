using Xunit.Abstractions;

namespace Holepunch.Reactive.IntegrationTests.NatLab;

/// <summary>Two hosts behind NATs that pick a random port per destination: the punch cannot work, and the client says so and ends.</summary>
public sealed class RandomPortNatTests(ITestOutputHelper output) : NatLabTest(output)
{
    [NatLabFact]
    public async Task HostsBehindPortRandomisingNats_CannotPunch_JoinerReportsHandshakeTimeoutAndExitsNonZero()
    {
        var lab = await CreateLabAsync(NatBehavior.RandomPort, NatBehavior.RandomPort);
        await lab.StartServerAsync();
        // Probes wait 0.5 s for a reply, 3 attempts: the punch is given up 1.5 s after the link. No relay offered.
        string[] punch = ["--punch-timeout", "0.5", "--punch-attempts", "3", "--no-relay"];
        var configured = TimeSpan.FromSeconds(1.5);
        var host = lab.StartHost(lab.HostA1, Room, HostPort, punch);
        await host.WaitForEventAsync("registered", null, Startup);
        var join = lab.StartJoin(lab.HostB, Joiner, Room, JoinPort, punch);

        var linked = await join.WaitForEventAsync("linked", static e => e["peer"] == Room, Startup);
        var timedOut = await join.WaitForEventAsync("peer-handshake-timeout", static e => e["peer"] == Room, Punch);
        var terminated = await join.WaitForEventAsync("terminated", null, Exit);
        var exitCode = await join.WaitForExitAsync(Exit);

        var gaveUpAfter = timedOut.At - linked.At;
        Output.WriteLine($"The joiner gave up {gaveUpAfter.TotalSeconds:F2} s after the link ({configured.TotalSeconds} s configured).");
        // Slack for a loaded machine; the point is that it ends on its own, not that it is punctual.
        Assert.InRange(gaveUpAfter, TimeSpan.Zero, configured + TimeSpan.FromSeconds(5));
        Assert.DoesNotContain(join.Events, static e => e.Name == "peer-confirmed");
        Assert.True(terminated.At >= timedOut.At, "terminated came before the handshake timeout");
        Assert.NotEqual(0, exitCode);
        await host.WaitForEventAsync("peer-handshake-timeout", static e => e["peer"] == Joiner, Punch);
        Assert.DoesNotContain(host.Events, static e => e.Name == "peer-confirmed");
        // The probes did cross the public segment: the routers turned them away as unsolicited.
        Assert.True(await lab.PublicPeerPacketsAsync() > 0, "no probes crossed the public segment");
        Assert.Equal(0, await lab.PublicUntranslatedPacketsAsync());
        Assert.True(await NatLab.UnsolicitedDropsAsync(lab.RouterA) + await NatLab.UnsolicitedDropsAsync(lab.RouterB) > 0, "no router dropped a probe");

        host.CloseInput();
        Assert.Equal(0, await host.WaitForExitAsync(Exit));
    }
}
