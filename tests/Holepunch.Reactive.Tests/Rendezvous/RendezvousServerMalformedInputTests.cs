using System.Net;
using System.Text;
using Holepunch.Reactive.Rendezvous;
using static Holepunch.Reactive.Tests.Rendezvous.RendezvousServerHarness;

namespace Holepunch.Reactive.Tests.Rendezvous;

public sealed class RendezvousServerMalformedInputTests
{
    private static readonly IPEndPoint Peer = EndPoint("203.0.113.5:40000");

    /// <summary>A registering-server request with one field broken, the reply's recipient, and the key it names.</summary>
    public static TheoryData<string, string, string> BrokenRegistrations => new()
    {
        // sender
        { """{"type":"registering-server","local-address":["10.0.0.2",4001],"seconds-before-expiry":60,"intended-recipient":""}""", "", "sender" },
        { """{"type":"registering-server","local-address":["10.0.0.2",4001],"seconds-before-expiry":60,"sender":7,"intended-recipient":""}""", "", "sender" },
        { """{"type":"registering-server","local-address":["10.0.0.2",4001],"seconds-before-expiry":60,"sender":null,"intended-recipient":""}""", "", "sender" },
        // the local address, in neither spelling, or half of the seed spelling
        { """{"type":"registering-server","seconds-before-expiry":60,"sender":"room","intended-recipient":""}""", "room", "local-address" },
        { """{"type":"registering-server","local-ip":"10.0.0.2","seconds-before-expiry":60,"sender":"room","intended-recipient":""}""", "room", "local-port" },
        { """{"type":"registering-server","local-port":4001,"seconds-before-expiry":60,"sender":"room","intended-recipient":""}""", "room", "local-ip" },
        { """{"type":"registering-server","local-ip":"not-an-ip","local-port":4001,"seconds-before-expiry":60,"sender":"room","intended-recipient":""}""", "room", "local-ip" },
        { """{"type":"registering-server","local-ip":"10.0.0.2","local-port":0,"seconds-before-expiry":60,"sender":"room","intended-recipient":""}""", "room", "local-port" },
        { """{"type":"registering-server","local-ip":"10.0.0.2","local-port":"4001","seconds-before-expiry":60,"sender":"room","intended-recipient":""}""", "room", "local-port" },
        { """{"type":"registering-server","local-address":"10.0.0.2:4001","seconds-before-expiry":60,"sender":"room","intended-recipient":""}""", "room", "local-address" },
        { """{"type":"registering-server","local-address":["10.0.0.2"],"seconds-before-expiry":60,"sender":"room","intended-recipient":""}""", "room", "local-address" },
        { """{"type":"registering-server","local-address":["nowhere",4001],"seconds-before-expiry":60,"sender":"room","intended-recipient":""}""", "room", "local-address" },
        { """{"type":"registering-server","local-address":["10.0.0.2",70000],"seconds-before-expiry":60,"sender":"room","intended-recipient":""}""", "room", "local-address" },
        { """{"type":"registering-server","local-address":["10.0.0.2",4001.5],"seconds-before-expiry":60,"sender":"room","intended-recipient":""}""", "room", "local-address" },
        // seconds-before-expiry
        { """{"type":"registering-server","local-address":["10.0.0.2",4001],"sender":"room","intended-recipient":""}""", "room", "seconds-before-expiry" },
        { """{"type":"registering-server","local-address":["10.0.0.2",4001],"seconds-before-expiry":"60","sender":"room","intended-recipient":""}""", "room", "seconds-before-expiry" },
        { """{"type":"registering-server","local-address":["10.0.0.2",4001],"seconds-before-expiry":-1,"sender":"room","intended-recipient":""}""", "room", "seconds-before-expiry" },
        { """{"type":"registering-server","local-address":["10.0.0.2",4001],"seconds-before-expiry":60.5,"sender":"room","intended-recipient":""}""", "room", "seconds-before-expiry" },
        { """{"type":"registering-server","local-address":["10.0.0.2",4001],"seconds-before-expiry":1e300,"sender":"room","intended-recipient":""}""", "room", "seconds-before-expiry" },
    };

    /// <summary>A requesting-to-join-server request with one field broken, the reply's recipient, and the key it names.</summary>
    public static TheoryData<string, string, string> BrokenJoins => new()
    {
        { """{"type":"requesting-to-join-server","local-address":["10.0.0.7",4002],"server-name":"room","intended-recipient":""}""", "", "sender" },
        { """{"type":"requesting-to-join-server","local-address":["10.0.0.7",4002],"server-name":"room","sender":["joiner"],"intended-recipient":""}""", "", "sender" },
        { """{"type":"requesting-to-join-server","server-name":"room","sender":"joiner","intended-recipient":""}""", "joiner", "local-address" },
        { """{"type":"requesting-to-join-server","local-ip":"10.0.0.7","server-name":"room","sender":"joiner","intended-recipient":""}""", "joiner", "local-port" },
        { """{"type":"requesting-to-join-server","local-port":4002,"server-name":"room","sender":"joiner","intended-recipient":""}""", "joiner", "local-ip" },
        { """{"type":"requesting-to-join-server","local-address":[4002,"10.0.0.7"],"server-name":"room","sender":"joiner","intended-recipient":""}""", "joiner", "local-address" },
        { """{"type":"requesting-to-join-server","local-address":["10.0.0.7",-4],"server-name":"room","sender":"joiner","intended-recipient":""}""", "joiner", "local-address" },
        { """{"type":"requesting-to-join-server","local-address":["10.0.0.7",4002],"sender":"joiner","intended-recipient":""}""", "joiner", "server-name" },
        { """{"type":"requesting-to-join-server","local-address":["10.0.0.7",4002],"server-name":42,"sender":"joiner","intended-recipient":""}""", "joiner", "server-name" },
        { """{"type":"requesting-to-join-server","local-address":["10.0.0.7",4002],"server-name":{"name":"room"},"sender":"joiner","intended-recipient":""}""", "joiner", "server-name" },
    };

    /// <summary>Datagrams that get no reply at all, and the reason they are counted under.</summary>
    public static TheoryData<string, RendezvousDropReason> Unanswered => new()
    {
        { "", RendezvousDropReason.Malformed },
        { "not json", RendezvousDropReason.Malformed },
        { """{"type":"registering-server","sender":"room" """, RendezvousDropReason.Malformed },
        { """{"type":"registering-server"} trailing""", RendezvousDropReason.Malformed },
        { """{"type":"registering-server"}{"type":"registering-server"}""", RendezvousDropReason.Malformed },
        { "[]", RendezvousDropReason.Malformed },
        { "\"registering-server\"", RendezvousDropReason.Malformed },
        { "60", RendezvousDropReason.Malformed },
        { "null", RendezvousDropReason.Malformed },
        { "{}", RendezvousDropReason.MissingType },
        { """{"type":7,"sender":"room"}""", RendezvousDropReason.MissingType },
        { """{"type":"refreshing-server-registration","sender":"room"}""", RendezvousDropReason.UnknownType },
        { """{"type":"","sender":"room"}""", RendezvousDropReason.UnknownType },
        // Peer-to-peer traffic, well-formed or not, and the server's own message types.
        { """{"used-global":true,"type":"local-global-inqury","sender":"room","intended-recipient":"joiner"}""", RendezvousDropReason.NotARequest },
        { """{"used-global":true,"type":"local-global-inquiry-response","sender":"room","intended-recipient":"joiner"}""", RendezvousDropReason.NotARequest },
        { """{"type":"peer-check","sender":"room","intended-recipient":"joiner"}""", RendezvousDropReason.NotARequest },
        { """{"type":"peer-check-response","sender":"room"}""", RendezvousDropReason.NotARequest },
        { """{"message":"hello","message-id":0,"type":"reliable-peer-message","sender":"room","intended-recipient":"joiner"}""", RendezvousDropReason.NotARequest },
        { """{"message":"hello","type":"peer-message","sender":"room","intended-recipient":"joiner"}""", RendezvousDropReason.NotARequest },
        { """{"type":"confirming-registration","intended-recipient":"room"}""", RendezvousDropReason.NotARequest },
        { """{"type":"server-error","message":"room not found","intended-recipient":"joiner"}""", RendezvousDropReason.NotARequest },
    };

    [Theory]
    [MemberData(nameof(BrokenRegistrations))]
    public void RegistrationWithBrokenField_GetsMissingInfoNamingIt(string json, string recipient, string key)
    {
        using var harness = new RendezvousServerHarness();

        harness.Handle(json, Peer);

        var sent = Assert.Single(harness.TakeSent());
        Assert.Equal($$"""{"type":"server-error","message":"missing info from packet data: {{key}}","intended-recipient":"{{recipient}}"}""", sent.Json);
        Assert.Equal((Peer, ServerEndPoint.Address), (sent.To, sent.From));
        Assert.Equal(0, harness.Server.Registrations.Count);
        Assert.Equal((1, 0), (harness.Server.Counters.ErrorsSent, harness.Server.Counters.TotalDropped));
    }

    [Theory]
    [MemberData(nameof(BrokenJoins))]
    public void JoinWithBrokenField_GetsMissingInfoNamingIt(string json, string recipient, string key)
    {
        using var harness = new RendezvousServerHarness();
        harness.Handle(Register("room"), EndPoint("203.0.113.9:40000"));
        harness.TakeSent();

        harness.Handle(json, Peer);

        var sent = Assert.Single(harness.TakeSent());
        Assert.Equal(Error(recipient, $"missing info from packet data: {key}"), sent.Json);
        Assert.Equal(Peer, sent.To);
        Assert.Equal(0, harness.Server.Counters.Joins);
    }

    [Theory]
    [MemberData(nameof(Unanswered))]
    public void UnansweredDatagram_IsDroppedAndCountedByReason(string text, RendezvousDropReason reason)
    {
        using var harness = new RendezvousServerHarness();

        harness.Handle(text, Peer);

        Assert.Empty(harness.Sent);
        Assert.Equal(1, harness.Server.Counters.Dropped(reason));
        Assert.Equal(1, harness.Server.Counters.TotalDropped);
    }

    [Fact]
    public void InvalidUtf8_IsDroppedAsMalformed()
    {
        using var harness = new RendezvousServerHarness();
        var bytes = Encoding.UTF8.GetBytes(Register("room-X"));
        bytes[Array.IndexOf(bytes, (byte)'X')] = 0xFF;

        harness.Transport.Push(bytes, Peer, ServerEndPoint);
        harness.Run();

        Assert.Empty(harness.Sent);
        Assert.Equal(1, harness.Server.Counters.Dropped(RendezvousDropReason.Malformed));
    }

    [Fact]
    public void DatagramOverTheMaximumSize_IsDroppedUnread()
    {
        using var harness = new RendezvousServerHarness(o => o.MaxDatagramSize = 200);
        var padded = Register("room").Replace("\"intended-recipient\":\"\"", $"\"intended-recipient\":\"\",\"pad\":\"{new string('x', 200)}\"", StringComparison.Ordinal);

        harness.Handle(padded, Peer);
        harness.Handle(Register("room"), Peer);

        Assert.Equal(Confirmation("room"), Assert.Single(harness.TakeSent()).Json);
        Assert.Equal(1, harness.Server.Counters.Dropped(RendezvousDropReason.Oversize));
    }

    [Fact]
    public void DeeplyNestedUnknownKey_IsDroppedWithoutReply()
    {
        using var harness = new RendezvousServerHarness(o => o.MaxDatagramSize = 65_507);
        var nested = new string('[', 10_000) + new string(']', 10_000);

        harness.Handle($$"""{"pad":{{nested}},"type":"registering-server"}""", Peer);

        Assert.Empty(harness.Sent);
        Assert.Equal(1, harness.Server.Counters.Dropped(RendezvousDropReason.Malformed));
    }

    [Fact]
    public void UnknownKeysAndNonAsciiNames_AreAccepted()
    {
        using var harness = new RendezvousServerHarness();

        harness.Handle(
            """{"type":"registering-server","password":"x","local-address":["10.0.0.2",4001],"seconds-before-expiry":60,"sender":"Zimmer ü 部屋","intended-recipient":""}""",
            Peer);

        Assert.Equal("""{"type":"confirming-registration","intended-recipient":"Zimmer ü 部屋"}""", Assert.Single(harness.TakeSent()).Json);
    }
}
