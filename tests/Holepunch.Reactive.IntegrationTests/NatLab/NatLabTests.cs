using Xunit.Abstractions;

namespace Holepunch.Reactive.IntegrationTests.NatLab;

/// <summary>
/// The real <c>holepunch</c> tool in a namespace lab (see <see cref="NatLab"/>): what connects, through which
/// address, what crosses each segment, and how a punch that cannot work fails.
/// </summary>
public sealed class NatLabTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Room = "room";
    private const string Joiner = "bob";
    private const int HostPort = 4000;
    private const int JoinPort = 4000;

    // Generous bounds for a loaded CI machine; each step normally takes well under a second.
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Punch = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Exit = TimeSpan.FromSeconds(15);

    private readonly List<NatLab> labs = [];

    [NatLabFact]
    public async Task LabTeardown_DeletesEveryNamespace()
    {
        var lab = await CreateLabAsync(NatBehavior.Cone, NatBehavior.Cone);
        string[] names = [lab.Public.Name, lab.RouterA.Name, lab.RouterB.Name, lab.HostA1.Name, lab.HostA2.Name, lab.HostB.Name];
        Assert.All(names, name => Assert.True(NetworkNamespace.Exists(name), name));

        await lab.DisposeAsync();

        Assert.All(names, name => Assert.False(NetworkNamespace.Exists(name), name));
    }

    [NatLabFact]
    public async Task ServerInPublicNamespace_Listens()
    {
        var lab = await CreateLabAsync(NatBehavior.Cone, NatBehavior.Cone);

        var server = await lab.StartServerAsync();

        Assert.False(server.HasExited);
        Assert.True(await lab.Public.IsUdpPortBoundAsync(NatLab.ServerPort));
    }

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
        // The punch and the messages crossed the public segment from router to router.
        Assert.True(await lab.PublicPeerPacketsAsync() > 0, "no peer packets crossed the public segment");

        join.CloseInput();
        Assert.Equal(0, await join.WaitForExitAsync(Exit));
        host.CloseInput();
        Assert.Equal(0, await host.WaitForExitAsync(Exit));
    }

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

    [NatLabFact]
    public async Task HostsBehindPortRandomisingNats_CannotPunch_JoinerReportsHandshakeTimeoutAndExitsNonZero()
    {
        var lab = await CreateLabAsync(NatBehavior.RandomPort, NatBehavior.RandomPort);
        await lab.StartServerAsync();
        var host = lab.StartHost(lab.HostA1, Room, HostPort);
        await host.WaitForEventAsync("registered", null, Startup);
        var join = lab.StartJoin(lab.HostB, Joiner, Room, JoinPort);

        var linked = await join.WaitForEventAsync("linked", static e => e["peer"] == Room, Startup);
        var timedOut = await join.WaitForEventAsync("peer-handshake-timeout", static e => e["peer"] == Room, Punch);
        var exitCode = await join.WaitForExitAsync(Exit);

        output.WriteLine($"The joiner gave up {(timedOut.At - linked.At).TotalSeconds:F1} s after the link.");
        Assert.DoesNotContain(join.Events, static e => e.Name == "peer-confirmed");
        Assert.NotEqual(0, exitCode);
        await host.WaitForEventAsync("peer-handshake-timeout", static e => e["peer"] == Joiner, Punch);
        Assert.DoesNotContain(host.Events, static e => e.Name == "peer-confirmed");
        // The probes did cross the public segment: the routers turned them away as unsolicited.
        Assert.True(await lab.PublicPeerPacketsAsync() > 0, "no probes crossed the public segment");
        Assert.True(await NatLab.UnsolicitedDropsAsync(lab.RouterA) + await NatLab.UnsolicitedDropsAsync(lab.RouterB) > 0, "no router dropped a probe");

        host.CloseInput();
        Assert.Equal(0, await host.WaitForExitAsync(Exit));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var lab in labs)
        {
            await lab.DisposeAsync();
        }
    }

    private async Task<NatLab> CreateLabAsync(NatBehavior routerA, NatBehavior routerB)
    {
        var lab = await NatLab.CreateAsync(routerA, routerB, output);
        labs.Add(lab);
        return lab;
    }
}
