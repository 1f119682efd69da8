using System.Net;
using Holepunch.Reactive.Peers;
using Holepunch.Reactive.Rendezvous;
using static Holepunch.Reactive.Tests.Rendezvous.HostileNetwork;

namespace Holepunch.Reactive.Tests.Rendezvous;

/// <summary>Room hijack and squatting: a name belongs to the address that registered it until it expires.</summary>
public sealed class RendezvousServerHijackTests
{
    private static string Register(string room, int seconds = 60) =>
        $$"""{"type":"registering-server","local-address":["10.6.6.6",6666],"seconds-before-expiry":{{seconds}},"sender":"{{room}}","intended-recipient":""}""";

    [Fact]
    public async Task AttackerRegisteringAHeldName_FromItsOwnOrASpoofedAddress_IsRefused_AndJoinersReachTheOwner()
    {
        using var net = new HostileNetwork();
        var host = net.Client(net.HonestSocket("192.168.1.10"));
        var hosting = host.HostAsync("room");
        net.Run(TimeSpan.FromSeconds(1));
        await hosting;
        var owner = net.Server.Registrations.Lookup("room").Value.GlobalEndPoint;

        for (var i = 0; i < 20; i++)
        {
            net.Send(net.FromAttacker, Register("room", 300));
            net.Send(net.FromVictim, Register("room", 300));
            net.Run(TimeSpan.FromSeconds(1));
        }

        var joiner = net.Client(net.HonestSocket("192.168.2.20"));
        var joining = joiner.JoinAsync("joiner", "room");
        net.Run(TimeSpan.FromSeconds(5));

        await joining;
        Assert.Equal(owner, net.Server.Registrations.Lookup("room").Value.GlobalEndPoint);
        Assert.Equal(owner.Address, Assert.Single(joiner.Peers.Items).EndPoint.Address);
        Assert.Equal(1, net.Server.Counters.Registrations);
        Assert.True(net.BytesBetween(ServerAddress, AttackerAddress) > 0, "The attacker was told the name is taken.");
    }

    [Fact]
    public async Task NameOfAnExpiredRoom_CanBeTakenByAnotherAddress()
    {
        using var net = new HostileNetwork();
        var host = net.Client(net.HonestSocket("192.168.1.10"));
        var hosting = host.HostAsync("room");
        net.Run(TimeSpan.FromSeconds(1));
        await hosting;
        await host.DisposeAsync();
        net.Run(TimeSpan.FromSeconds(61));

        net.Send(net.FromAttacker, Register("room"));
        net.Run(TimeSpan.FromSeconds(1));

        Assert.Equal(AttackerAddress, net.Server.Registrations.Lookup("room").Value.GlobalEndPoint.Address);
    }

    [Fact]
    public void SpoofedRefreshFromTheOwnersAddress_CannotShortenTheRegistration()
    {
        using var harness = new RendezvousServerHarness();
        var owner = RendezvousServerHarness.EndPoint("203.0.113.5:40000");
        harness.Handle(RendezvousServerHarness.Register("room", seconds: 60), owner);

        // An off-path attacker that forges the owner's address asks for an expiry of zero.
        harness.Handle(RendezvousServerHarness.Register("room", seconds: 0), owner);
        harness.Scheduler.AdvanceBy(TimeSpan.FromSeconds(59));

        Assert.True(harness.Server.Registrations.Lookup("room").HasValue);
        harness.Scheduler.AdvanceBy(TimeSpan.FromSeconds(1));
        Assert.False(harness.Server.Registrations.Lookup("room").HasValue);
    }

    [Fact]
    public void OneAddressRegisteringManyNames_IsStoppedAtItsLimit_OthersStillRegister()
    {
        using var harness = new RendezvousServerHarness(o =>
        {
            o.MaxRegistrationsPerAddress = 3;
            o.SourceTokenLimit = 100;
        });
        var squatter = IPAddress.Parse("192.0.2.66");

        for (var i = 0; i < 5; i++)
        {
            harness.Handle(RendezvousServerHarness.Register($"name{i}"), new IPEndPoint(squatter, 1000 + i));
        }

        harness.Handle(RendezvousServerHarness.Register("honest"), RendezvousServerHarness.EndPoint("203.0.113.5:40000"));

        Assert.Equal(4, harness.Server.Registrations.Count);
        Assert.Equal(2, harness.Sent.Count(s => s.Json == RendezvousServerHarness.Error("name3", "too many servers from this address") || s.Json == RendezvousServerHarness.Error("name4", "too many servers from this address")));
    }

    [Fact]
    public void SquattedNamesExpire_AndTheAddressMayRegisterAgain()
    {
        using var harness = new RendezvousServerHarness(o => o.MaxRegistrationsPerAddress = 1);
        var squatter = RendezvousServerHarness.EndPoint("192.0.2.66:1000");
        harness.Handle(RendezvousServerHarness.Register("a", seconds: 10), squatter);
        harness.Handle(RendezvousServerHarness.Register("b", seconds: 10), squatter);
        Assert.False(harness.Server.Registrations.Lookup("b").HasValue);

        harness.Scheduler.AdvanceBy(TimeSpan.FromSeconds(10));
        harness.Handle(RendezvousServerHarness.Register("b", seconds: 10), squatter);

        Assert.True(harness.Server.Registrations.Lookup("b").HasValue);
    }

    [Fact]
    public async Task RoomWithSecret_HonestJoinerWithTheSecretConnects_OthersAreRefused()
    {
        using var net = new HostileNetwork();
        var host = net.Own(new HolepunchClient(Options(net, net.HonestSocket("192.168.1.10"), "s3cret")));
        var hosting = host.HostAsync("room");
        net.Run(TimeSpan.FromSeconds(1));
        await hosting;

        var withSecret = net.Own(new HolepunchClient(Options(net, net.HonestSocket("192.168.2.20"), "s3cret")));
        var withoutSecret = net.Client(net.HonestSocket("192.168.3.30"));
        var withWrongSecret = net.Own(new HolepunchClient(Options(net, net.HonestSocket("192.168.4.40"), "guess")));
        var joining = withSecret.JoinAsync("alice", "room");
        var plain = withoutSecret.JoinAsync("mallory", "room");
        var wrong = withWrongSecret.JoinAsync("eve", "room");
        net.Run(TimeSpan.FromSeconds(5));

        await joining;
        Assert.Equal("room requires a secret", (await Assert.ThrowsAsync<RendezvousServerException>(() => plain)).Message);
        Assert.Equal("wrong secret for room", (await Assert.ThrowsAsync<RendezvousServerException>(() => wrong)).Message);
        Assert.Equal("alice", Assert.Single(host.Peers.Items).Name);
        Assert.Equal(1, net.Server.Counters.Joins);
    }

    private static HolepunchClientOptions Options(HostileNetwork net, Holepunch.Reactive.Transport.IDatagramTransport socket, string secret) => new()
    {
        RendezvousEndPoint = ServerEndPoint,
        Transport = socket,
        Scheduler = net.Scheduler,
        RoomSecret = secret,
    };
}
