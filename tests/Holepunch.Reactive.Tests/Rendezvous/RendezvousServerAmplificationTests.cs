using System.Net;
using Holepunch.Reactive.Rendezvous;
using Xunit.Abstractions;
using static Holepunch.Reactive.Tests.Rendezvous.HostileNetwork;

namespace Holepunch.Reactive.Tests.Rendezvous;

/// <summary>
/// Reflection and amplification over the virtual network: an attacker that owns the victim's address as a second
/// address sends requests "from" the victim; the server must never send the victim more than three times the bytes
/// it received (QUIC's anti-amplification rule), and honest peers must keep working meanwhile.
/// </summary>
public sealed class RendezvousServerAmplificationTests(ITestOutputHelper output)
{
    /// <summary>Rate limits out of the way, so that only the amplification guard bounds the replies.</summary>
    private static void Unlimited(RendezvousServerOptions o)
    {
        o.SourceTokenLimit = 1_000_000;
        o.SourceTokensPerPeriod = 1_000_000;
    }

    private static string Join(string joiner, string room) =>
        $$"""{"type":"requesting-to-join-server","local-address":["10.9.9.9",9],"server-name":"{{room}}","sender":"{{joiner}}"}""";

    [Fact]
    public async Task SpoofedRequestsFromVictim_ServerSendsVictimAtMostThreeTimesWhatItReceived_HonestPeersStillConnect()
    {
        using var net = new HostileNetwork(Unlimited);
        var host = net.Client(net.HonestSocket("192.168.1.10"));
        var hosting = host.HostAsync("room");
        net.Run(TimeSpan.FromSeconds(1));
        var joiner = net.Client(net.HonestSocket("192.168.2.20"));
        var joining = joiner.JoinAsync("joiner", "room");

        // Every kind of request, "from" the victim: tiny ones whose error is larger than three times their size,
        // joins of the honest room (each would send the victim its handshake info), joins of unknown rooms.
        for (var i = 0; i < 300; i++)
        {
            net.Send(net.FromVictim, """{"type":"registering-server"}""");
            net.Send(net.FromVictim, """{"type":"requesting-to-join-server"}""");
            net.Send(net.FromVictim, Join("mallory", "room"));
            net.Send(net.FromVictim, Join("m", "nowhere"));
            net.Run(TimeSpan.FromMilliseconds(20));
        }

        net.Run(TimeSpan.FromSeconds(5));

        var received = net.BytesBetween(VictimAddress, ServerAddress);
        var sent = net.BytesBetween(ServerAddress, VictimAddress);
        output.WriteLine($"victim -> server {received} B, server -> victim {sent} B (x{(double)sent / received:F2}); " +
            $"refused {net.Server.Counters.Dropped(RendezvousDropReason.AmplificationLimit)}; {net.Server.Counters}");
        Assert.True(sent <= 3 * received, $"The server sent the victim {sent} B for {received} B.");
        Assert.True(net.Server.Counters.Dropped(RendezvousDropReason.AmplificationLimit) > 0);
        await hosting;
        await joining;
        Assert.Contains(host.Peers.Items, p => p.Name == "joiner");
        Assert.Contains(joiner.Peers.Items, p => p.Name == "room");
    }

    [Fact]
    public void RoomRegisteredFromVictim_JoinFloodSendsVictimAtMostThreeTimesTheAttackersBytes()
    {
        using var net = new HostileNetwork(Unlimited);
        // One spoofed registration makes the victim the "host" of a room; every join of it introduces the joiner to
        // the victim. The attacker then joins from its own address, as often as it likes.
        net.Send(net.FromVictim, """{"type":"registering-server","local-address":["10.9.9.9",9],"seconds-before-expiry":300,"sender":"trap"}""");
        net.Run(TimeSpan.FromSeconds(1));
        for (var i = 0; i < 500; i++)
        {
            net.Send(net.FromAttacker, Join("j", "trap"));
            net.Run(TimeSpan.FromMilliseconds(10));
        }

        net.Run(TimeSpan.FromSeconds(1));

        var attackerSent = net.BytesBetween(VictimAddress, ServerAddress) + net.BytesBetween(AttackerAddress, ServerAddress);
        var toVictim = net.BytesBetween(ServerAddress, VictimAddress);
        var toBoth = toVictim + net.BytesBetween(ServerAddress, AttackerAddress);
        output.WriteLine($"attacker -> server {attackerSent} B; server -> victim {toVictim} B (x{(double)toVictim / attackerSent:F2}), " +
            $"server -> victim and attacker {toBoth} B (x{(double)toBoth / attackerSent:F2}); {net.Server.Counters}");
        Assert.True(toBoth <= 3 * attackerSent, $"The server sent {toBoth} B for {attackerSent} B.");
        Assert.True(toVictim < attackerSent * 2);
    }

    [Fact]
    public void RoomRegisteredFromVictim_JoinsFromVictimToo_StayWithinTheVictimsOwnBudget()
    {
        using var net = new HostileNetwork(Unlimited);
        net.Send(net.FromVictim, """{"type":"registering-server","local-address":["10.9.9.9",9],"seconds-before-expiry":300,"sender":"trap"}""");
        net.Run(TimeSpan.FromSeconds(1));
        // Joiner and host are both the victim: each join would send it two introductions.
        for (var i = 0; i < 300; i++)
        {
            net.Send(net.FromVictim, """{"type":"requesting-to-join-server","local-address":["1.2.3.4",1],"server-name":"trap","sender":"j"}""");
            net.Run(TimeSpan.FromMilliseconds(10));
        }

        net.Run(TimeSpan.FromSeconds(1));

        var received = net.BytesBetween(VictimAddress, ServerAddress);
        var sent = net.BytesBetween(ServerAddress, VictimAddress);
        output.WriteLine($"victim -> server {received} B, server -> victim {sent} B (x{(double)sent / received:F2}); {net.Server.Counters}");
        Assert.True(sent <= 3 * received, $"The server sent the victim {sent} B for {received} B.");
        Assert.True(net.Server.Counters.Dropped(RendezvousDropReason.AmplificationLimit) > 0);
    }

    [Fact]
    public async Task DefaultOptions_HonestPeersNeverMeetTheLimit()
    {
        using var net = new HostileNetwork();
        var host = net.Client(net.HonestSocket("192.168.1.10"));
        var hosting = host.HostAsync("room");
        net.Run(TimeSpan.FromSeconds(1));
        var joinings = new List<Task>();
        for (var i = 0; i < 5; i++)
        {
            joinings.Add(net.Client(net.HonestSocket($"192.168.{i + 2}.20")).JoinAsync($"joiner{i}", "room"));
        }

        net.Run(TimeSpan.FromSeconds(70));

        await hosting;
        await Task.WhenAll(joinings);
        Assert.Equal(5, host.Peers.Count);
        Assert.Equal(0, net.Server.Counters.Dropped(RendezvousDropReason.AmplificationLimit));
    }
}
