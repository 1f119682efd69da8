using System.Net;
using Holepunch.Reactive.Peers;
using Holepunch.Reactive.Testing.Network;

namespace Holepunch.Reactive.Tests.Peers;

/// <summary>The reference client's acceptance rule, and the counted drops of everything else.</summary>
public sealed class AcceptanceTests
{
    private static async Task<(ClientWorld World, HolepunchClient Host, IPEndPoint HostGlobal)> ConnectedHostAsync()
    {
        var world = new ClientWorld();
        var hostNat = world.AddNat(NatOptions.FullCone);
        var (host, _, _, joining) = world.Connect(world.Bind(hostNat, "192.168.1.10"), world.Bind(world.AddNat(NatOptions.FullCone), "192.168.2.20"));
        await joining;
        return (world, host, new IPEndPoint(hostNat.PublicAddress, 4000));
    }

    [Theory]
    [InlineData("{\"message\":\"x\",\"type\":\"unreliable-peer-message\",\"sender\":\"mallory\",\"intended-recipient\":\"room\"}", "unknown-sender")]
    [InlineData("{\"message\":\"x\",\"type\":\"unreliable-peer-message\",\"sender\":\"joiner\",\"intended-recipient\":\"room\"}", "unrecorded-address")]
    [InlineData("{\"message\":\"x\",\"type\":\"unreliable-peer-message\",\"sender\":\"joiner\",\"intended-recipient\":\"someone\"}", "wrong-recipient")]
    [InlineData("{\"message\":\"x\",\"type\":\"unreliable", "MalformedJson")]
    [InlineData("[1,2,3]", "NotAnObject")]
    [InlineData("{\"type\":\"unreliable-peer-message\",\"sender\":\"joiner\",\"intended-recipient\":\"room\"}", "MissingField")]
    [InlineData("{\"type\":\"confirming-registration\",\"intended-recipient\":\"room\"}", "server-message-from-stranger")]
    public async Task BadOrStrangeDatagram_IsDroppedAndCountedAndNothingBreaks(string datagram, string reason)
    {
        var (world, host, hostGlobal) = await ConnectedHostAsync();
        using var scope = world;
        var mallory = world.Own(new GodotPeer(world.Network.AddHost(IPAddress.Parse("192.0.2.66")).Bind(4000)));
        var received = new List<PeerMessage>();
        using var s = host.UnreliableMessages.Subscribe(received.Add);

        mallory.Send(datagram, hostGlobal);
        world.Run(TimeSpan.FromMilliseconds(100));

        Assert.Empty(received);
        Assert.Equal(1, host.Statistics.Drops[reason]);
        Assert.Empty(mallory.Received);
        Assert.False(host.Completion.IsCompleted);
        Assert.Single(host.Peers.Items);
    }

    [Fact]
    public async Task Garbage_FromTheServersAddressSpoofed_DoesNotKillTheClient()
    {
        var (world, host, hostGlobal) = await ConnectedHostAsync();
        using var scope = world;
        var joiner = host.Peers.Items.Single();
        var spoofed = world.Own(new GodotPeer(world.Network.AddHost(IPAddress.Parse("192.0.2.67")).Bind(4000)));
        var rng = new Random(7);
        for (var i = 0; i < 200; i++)
        {
            var bytes = new byte[rng.Next(0, 300)];
            rng.NextBytes(bytes);
            spoofed.Send(System.Text.Encoding.Latin1.GetString(bytes), hostGlobal);
        }

        world.Run(TimeSpan.FromSeconds(1));

        Assert.Equal(200, host.Statistics.TotalDrops);
        Assert.False(host.Completion.IsCompleted);
        Assert.Equal(joiner.Name, Assert.Single(host.Peers.Items).Name);
    }
}
