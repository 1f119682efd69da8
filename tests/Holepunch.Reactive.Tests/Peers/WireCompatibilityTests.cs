using System.Net;
using Holepunch.Reactive.Peers;
using Holepunch.Reactive.Testing.Network;
using static Holepunch.Reactive.Tests.Peers.ClientWorld;

namespace Holepunch.Reactive.Tests.Peers;

/// <summary>Our peer against the exact datagrams of the deployed Godot client (PROTOCOL.md, quirks).</summary>
public sealed class WireCompatibilityTests
{
    [Fact]
    public void GodotJoiner_IsProbedWithTheGodotSpelling()
    {
        var (world, _, godot, hostGlobal, _) = HostWithGodotJoiner();
        using var scope = world;

        Assert.Contains("{\"used-global\":true,\"type\":\"local-global-inqury\",\"sender\":\"room\",\"intended-recipient\":\"godot\"}", godot.ReceivedFrom(hostGlobal));
    }

    [Fact]
    public void GodotInquiry_IsAnsweredWithTheSpellingGodotExpects()
    {
        var (world, _, godot, hostGlobal, _) = HostWithGodotJoiner();
        using var scope = world;

        godot.Send("{\"used-global\":true,\"type\":\"local-global-inqury\",\"sender\":\"godot\",\"intended-recipient\":\"room\"}", hostGlobal);
        world.Run(TimeSpan.FromMilliseconds(100));

        Assert.Contains("{\"used-global\":true,\"type\":\"local-global-inquiry-response\",\"sender\":\"room\",\"intended-recipient\":\"godot\"}", godot.ReceivedFrom(hostGlobal));
    }

    [Theory]
    [InlineData("local-global-inquiry-response")]
    [InlineData("local-global-inqury-response")]
    public void GodotInquiryResponse_EitherSpelling_ConfirmsThePeer(string type)
    {
        var (world, host, godot, hostGlobal, godotGlobal) = HostWithGodotJoiner();
        using var scope = world;

        godot.Send($"{{\"used-global\":true,\"type\":\"{type}\",\"sender\":\"godot\",\"intended-recipient\":\"room\"}}", hostGlobal);
        world.Run(TimeSpan.FromMilliseconds(100));

        var peer = Assert.Single(host.Peers.Items);
        Assert.Equal(("godot", godotGlobal, PeerAddressKind.Global), (peer.Name, peer.EndPoint, peer.Via));
    }

    [Fact]
    public void GodotReliableMessage_SentThreeTimes_IsDeliveredOnceAndEveryCopyAcknowledged()
    {
        var (world, host, godot, hostGlobal, _) = HostWithGodotJoiner();
        using var scope = world;
        godot.Send("{\"used-global\":true,\"type\":\"local-global-inquiry-response\",\"sender\":\"godot\",\"intended-recipient\":\"room\"}", hostGlobal);
        world.Run(TimeSpan.FromMilliseconds(100));
        var delivered = new List<PeerMessage>();
        using var s = host.ReliableMessages.Subscribe(delivered.Add);

        for (var copy = 0; copy < 3; copy++)
        {
            godot.Send("{\"message\":\"hello\",\"message-id\":0.0,\"type\":\"reliable-peer-message\",\"sender\":\"godot\",\"intended-recipient\":\"room\"}", hostGlobal);
            world.Run(TimeSpan.FromSeconds(1));
        }

        Assert.Equal("hello", Assert.Single(delivered).Message.GetString());
        const string Ack = "{\"message\":\"hello\",\"message-id\":0,\"type\":\"reliable-peer-message-response\",\"sender\":\"room\",\"intended-recipient\":\"godot\"}";
        Assert.Equal(3, godot.ReceivedFrom(hostGlobal).Count(t => t == Ack));
    }

    [Fact]
    public async Task OurReliableMessage_StopsTheMomentGodotAcknowledges()
    {
        var (world, host, godot, hostGlobal, _) = HostWithGodotJoiner();
        using var scope = world;
        godot.Send("{\"used-global\":true,\"type\":\"local-global-inquiry-response\",\"sender\":\"godot\",\"intended-recipient\":\"room\"}", hostGlobal);
        world.Run(TimeSpan.FromMilliseconds(100));

        var sending = host.SendReliableAsync("godot", System.Text.Json.JsonSerializer.SerializeToElement("hi"));
        world.Run(TimeSpan.FromMilliseconds(100));
        const string Sent = "{\"message\":\"hi\",\"message-id\":0,\"type\":\"reliable-peer-message\",\"sender\":\"room\",\"intended-recipient\":\"godot\"}";
        Assert.Equal(1, godot.ReceivedFrom(hostGlobal).Count(t => t == Sent));
        godot.Send("{\"message\":\"hi\",\"message-id\":0.0,\"type\":\"reliable-peer-message-response\",\"sender\":\"godot\",\"intended-recipient\":\"room\"}", hostGlobal);
        world.Run(TimeSpan.FromSeconds(5));

        Assert.Equal(0, (await sending).MessageId);
        Assert.Equal(1, godot.ReceivedFrom(hostGlobal).Count(t => t == Sent));
    }

    [Fact]
    public void GodotPeerCheck_IsAnswered()
    {
        var (world, _, godot, hostGlobal, _) = HostWithGodotJoiner();
        using var scope = world;

        godot.Send("{\"type\":\"peer-check\",\"sender\":\"godot\",\"intended-recipient\":\"room\"}", hostGlobal);
        world.Run(TimeSpan.FromMilliseconds(100));

        Assert.Contains("{\"type\":\"peer-check-response\",\"sender\":\"room\",\"intended-recipient\":\"godot\"}", godot.ReceivedFrom(hostGlobal));
    }

    [Fact]
    public void GodotSeedSpellingPeerMessage_IsAnUnreliableMessage()
    {
        var (world, host, godot, hostGlobal, _) = HostWithGodotJoiner();
        using var scope = world;
        var received = new List<PeerMessage>();
        using var s = host.UnreliableMessages.Subscribe(received.Add);

        godot.Send("{\"message\":{\"hp\":3.0},\"type\":\"peer-message\",\"sender\":\"godot\",\"intended-recipient\":\"room\"}", hostGlobal);
        godot.Send("{\"message\":[1,2],\"type\":\"unreliable-peer-message\",\"sender\":\"godot\",\"intended-recipient\":\"room\"}", hostGlobal);
        world.Run(TimeSpan.FromMilliseconds(100));

        Assert.Equal(2, received.Count);
        Assert.Equal(3.0, received[0].Message.GetProperty("hp").GetDouble());
    }

    [Fact]
    public void GodotGlobalInquiryLost_OurUnsolicitedResponseStillReachesItsGlobalAddress()
    {
        // The Godot client probes our global address once; if that datagram is lost it can only confirm us from
        // an unsolicited response to its global address, which it accepts from our recorded address.
        var (world, _, godot, hostGlobal, _) = HostWithGodotJoiner();
        using var scope = world;

        world.Run(TimeSpan.FromSeconds(2));

        // The extension key tells our own peers not to confirm on it; the Godot client ignores it.
        Assert.Contains("{\"used-global\":true,\"type\":\"local-global-inquiry-response\",\"sender\":\"room\",\"intended-recipient\":\"godot\",\"unsolicited\":true}", godot.ReceivedFrom(hostGlobal));
    }
}
