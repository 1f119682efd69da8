using System.Net;
using System.Text;
using Holepunch.Reactive.Protocol;
using Holepunch.Reactive.Tests.Protocol.TestData;
using static Holepunch.Reactive.Tests.Protocol.MessageAssert;

namespace Holepunch.Reactive.Tests.Protocol;

/// <summary>
/// The relay and capability extension keys: written only when set, after Godot's keys, and decoded leniently (a wrong
/// type counts as absent); and the relay and NAT-probe messages in the wire shapes of the design.
/// </summary>
public class MessageCodecExtensionTests
{
    private static readonly IPEndPoint Lan = new(IPAddress.Parse("10.0.0.7"), 4002);
    private static readonly IPEndPoint Public = new(IPAddress.Parse("203.0.113.7"), 61_234);

    [Fact]
    public void Join_WithCapabilities_IsWrittenAfterGodotsKeys()
    {
        var join = new RequestingToJoinServer("joiner", Lan, "room") { Capabilities = ["relay"], ProtocolVersion = 1 };

        Assert.Equal(
            """{"type":"requesting-to-join-server","local-address":["10.0.0.7",4002],"local-ip":"10.0.0.7","local-port":4002,"server-name":"room","sender":"joiner","intended-recipient":"","capabilities":["relay"],"protocol-version":1}""",
            Encoding.UTF8.GetString(MessageCodec.EncodeToArray(join)));
    }

    [Fact]
    public void Registration_WithCapabilities_IsWrittenAfterGodotsKeys()
    {
        var registration = new RegisteringServer("room", Lan, 60) { Capabilities = ["relay", "x"], ProtocolVersion = 1 };

        Assert.EndsWith(
            "\"sender\":\"room\",\"intended-recipient\":\"\",\"capabilities\":[\"relay\",\"x\"],\"protocol-version\":1}",
            Encoding.UTF8.GetString(MessageCodec.EncodeToArray(registration)),
            StringComparison.Ordinal);
    }

    [Fact]
    public void MessagesWithoutExtensions_AreWrittenWithoutExtensionKeys()
    {
        var texts = new HolepunchMessage[]
        {
            new RegisteringServer("room", Lan, 60),
            new RequestingToJoinServer("joiner", Lan, "room"),
            new ProvidingPeerHandshakeInfo("joiner", "room", Public, Lan),
        }.Select(m => Encoding.UTF8.GetString(MessageCodec.EncodeToArray(m)));

        Assert.All(texts, text =>
        {
            Assert.DoesNotContain("capabilities", text, StringComparison.Ordinal);
            Assert.DoesNotContain("protocol-version", text, StringComparison.Ordinal);
            Assert.DoesNotContain("relay-token", text, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void HandshakeInfo_WithRelay_IsWrittenAfterGodotsKeys()
    {
        var info = new ProvidingPeerHandshakeInfo("joiner", "room", Public, Lan) { PeerCapabilities = ["relay"], RelayToken = "tok" };

        Assert.Equal(
            """{"type":"providing-peer-handshake-info","peer-name":"room","global-address":["203.0.113.7",61234],"local-address":["10.0.0.7",4002],"intended-recipient":"joiner","peer-capabilities":["relay"],"relay-token":"tok"}""",
            Encoding.UTF8.GetString(MessageCodec.EncodeToArray(info)));
    }

    [Fact]
    public void GodotDatagrams_DecodeWithoutExtensions()
    {
        var registration = (RegisteringServer)DecodeOk(GodotDatagrams.RegisteringServer);

        Assert.Null(registration.Capabilities);
        Assert.Null(registration.ProtocolVersion);
    }

    [Theory]
    [InlineData("\"relay\"")]
    [InlineData("7")]
    [InlineData("null")]
    [InlineData("{\"relay\":true}")]
    [InlineData("true")]
    public void CapabilitiesOfTheWrongType_DecodeAsAbsent(string value)
    {
        var join = (RequestingToJoinServer)DecodeOk(
            $$"""{"type":"requesting-to-join-server","local-address":["10.0.0.7",4002],"server-name":"room","sender":"j","capabilities":{{value}},"protocol-version":1}""");
        var info = (ProvidingPeerHandshakeInfo)DecodeOk(
            $$"""{"type":"providing-peer-handshake-info","peer-name":"room","global-address":["203.0.113.7",1],"local-address":["10.0.0.7",2],"peer-capabilities":{{value}}}""");

        Assert.Null(join.Capabilities);
        Assert.Equal(1, join.ProtocolVersion);
        Assert.Null(info.PeerCapabilities);
    }

    [Fact]
    public void Capabilities_EntriesThatAreNotStrings_AreSkipped()
    {
        var join = (RequestingToJoinServer)DecodeOk(
            """{"type":"requesting-to-join-server","local-address":["10.0.0.7",4002],"server-name":"room","sender":"j","capabilities":["relay",1,null,["x"],{"y":2},"future"]}""");

        Assert.Equal(["relay", "future"], join.Capabilities);
    }

    [Theory]
    [InlineData("\"1\"", null)]
    [InlineData("1.5", null)]
    [InlineData("-1", null)]
    [InlineData("2147483648", null)]
    [InlineData("[1]", null)]
    [InlineData("1.0", 1)]
    [InlineData("0", 0)]
    public void ProtocolVersion_OnlyAWholeNonNegativeNumberIsKept(string value, int? expected)
    {
        var registration = (RegisteringServer)DecodeOk(
            $$"""{"type":"registering-server","local-address":["10.0.0.2",4001],"seconds-before-expiry":60,"sender":"room","protocol-version":{{value}}}""");

        Assert.Equal(expected, registration.ProtocolVersion);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("null")]
    [InlineData("[\"tok\"]")]
    public void HandshakeRelayTokenOfTheWrongType_DecodesAsAbsent(string value)
    {
        var info = (ProvidingPeerHandshakeInfo)DecodeOk(
            $$"""{"type":"providing-peer-handshake-info","peer-name":"room","global-address":["203.0.113.7",1],"local-address":["10.0.0.7",2],"relay-token":{{value}}}""");

        Assert.Null(info.RelayToken);
    }

    [Fact]
    public void WithExpression_KeepsTheExtensionProperties()
    {
        string[] capabilities = ["relay"];
        var join = new RequestingToJoinServer("joiner", Lan, "room") { Capabilities = capabilities, ProtocolVersion = 1 };
        var info = new ProvidingPeerHandshakeInfo("joiner", "room", Public, Lan) { PeerCapabilities = capabilities, RelayToken = "t" };

        var renamed = join with { Sender = "other" };
        var readdressed = info with { IntendedRecipient = "room" };

        Assert.Same(capabilities, renamed.Capabilities);
        Assert.Equal(1, renamed.ProtocolVersion);
        Assert.Same(capabilities, readdressed.PeerCapabilities);
        Assert.Equal("t", readdressed.RelayToken);
    }

    [Fact]
    public void Equality_IncludesTheExtensionProperties()
    {
        string[] capabilities = ["relay"];
        var plain = new RegisteringServer("room", Lan, 60);
        var relay = plain with { Capabilities = capabilities };

        Assert.NotEqual(plain, relay);
        Assert.Equal(relay, plain with { Capabilities = capabilities });
        Assert.NotEqual(plain, plain with { ProtocolVersion = 1 });
        Assert.Equal(plain with { ProtocolVersion = 1 }, plain with { ProtocolVersion = 1 });
    }

    [Fact]
    public void RelayDatagram_IsWrittenInTheDesignsKeyOrder()
    {
        var datagram = new RelayDatagram("room", "", "tok", Json("""{"type":"peer-check","sender":"room","intended-recipient":"joiner"}"""));

        Assert.Equal(
            """{"type":"relay-datagram","relay-token":"tok","sender":"room","intended-recipient":"","payload":{"type":"peer-check","sender":"room","intended-recipient":"joiner"}}""",
            Encoding.UTF8.GetString(MessageCodec.EncodeToArray(datagram)));
    }

    [Theory]
    [InlineData("""{"type":"peer-check","sender":"room","intended-recipient":"joiner"}""")]
    [InlineData("""{"type":"sealed-peer-datagram","sender":"room","intended-recipient":"joiner","nonce":3,"ciphertext":"AAEC"}""")]
    public void RelayDatagramAroundAnEncodedDatagram_IsTheRecordsEncoding(string payload)
    {
        // The client's relay path wraps what it would send directly without parsing it.
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        MessageCodec.EncodeRelayDatagram("room", "", "tok", Encoding.UTF8.GetBytes(payload), output);

        Assert.Equal(MessageCodec.EncodeToArray(new RelayDatagram("room", "", "tok", Json(payload))), output.WrittenSpan.ToArray());
    }

    [Fact]
    public void RelayDatagram_ForwardedWithAnotherRecipient_KeepsThePayloadByteForByte()
    {
        const string Payload = """{ "message" : "\u00e9\ud83d\ude00 é" , "message-id":4.0,"type":"reliable-peer-message","sender":"a","intended-recipient":"b" }""";
        var received = (RelayDatagram)DecodeOk($$"""{"payload":{{Payload}},"type":"relay-datagram","relay-token":"tok","sender":"a","intended-recipient":""}""");

        var forwarded = Encoding.UTF8.GetString(MessageCodec.EncodeToArray(received with { IntendedRecipient = "b" }));

        Assert.Equal($$"""{"type":"relay-datagram","relay-token":"tok","sender":"a","intended-recipient":"b","payload":{{Payload}}}""", forwarded);
    }

    [Fact]
    public void RelayDatagram_PayloadDecodesAsTheInnerMessage()
    {
        var relayed = (RelayDatagram)DecodeOk(
            """{"type":"relay-datagram","relay-token":"tok","sender":"a","intended-recipient":"b","payload":{"used-global":true,"type":"local-global-inqury","sender":"a","intended-recipient":"b"}}""");

        var inner = DecodeOk(Encoding.UTF8.GetBytes(relayed.Payload.GetRawText()));

        Equal(new LocalGlobalInquiry("a", "b", true), inner);
    }

    [Fact]
    public void RelayDatagram_WithAPayloadThatIsNotAnObject_CannotBeEncoded()
    {
        var datagram = new RelayDatagram("a", "", "tok", Json("[1]"));

        Assert.Throws<ArgumentException>(() => MessageCodec.EncodeToArray(datagram));
    }

    [Fact]
    public void RelayDatagram_WithAnEscapedLoneSurrogateInThePayload_RejectedAsMalformed()
    {
        var rejection = DecodeRejected("""{"type":"relay-datagram","relay-token":"t","sender":"a","payload":{"k":"\ud800"}}""");

        Assert.Equal(RejectionReason.MalformedJson, rejection.Reason);
    }

    [Fact]
    public void RelayRefused_IsWrittenInTheDesignsKeyOrder()
    {
        Assert.Equal(
            """{"type":"relay-refused","relay-token":"tok","message":"relay full","intended-recipient":"room"}""",
            Encoding.UTF8.GetString(MessageCodec.EncodeToArray(new RelayRefused("room", "tok", "relay full"))));
    }

    [Fact]
    public void NatProbeAndResponse_AreWrittenInTheDesignsKeyOrder()
    {
        Assert.Equal(
            """{"type":"nat-probe","sender":"me","intended-recipient":"","probe-id":12}""",
            Encoding.UTF8.GetString(MessageCodec.EncodeToArray(new NatProbe("me", 12))));
        Assert.Equal(
            """{"type":"nat-probe-response","probe-id":12,"observed-address":["203.0.113.7",61234],"intended-recipient":"me"}""",
            Encoding.UTF8.GetString(MessageCodec.EncodeToArray(new NatProbeResponse("me", 12, Public))));
    }

    [Fact]
    public void NatProbe_IgnoresItsIntendedRecipient_AndGodotStyleNumbersDecode()
    {
        var probe = DecodeOk("""{"probe-id":12.0,"type":"nat-probe","sender":"me","intended-recipient":"someone"}""");

        Equal(new NatProbe("me", 12), probe);
    }

    [Fact]
    public void ServerToPeerExtensions_WithoutIntendedRecipient_DecodeWithAnEmptyRecipient()
    {
        Equal(new RelayRefused("", "t", "relay full"), DecodeOk("""{"type":"relay-refused","relay-token":"t","message":"relay full"}"""));
        Equal(new NatProbeResponse("", 1, Public), DecodeOk("""{"type":"nat-probe-response","probe-id":1,"observed-address":["203.0.113.7",61234]}"""));
        Equal(
            new RelayDatagram("a", "", "t", Json("{}")),
            DecodeOk("""{"type":"relay-datagram","relay-token":"t","sender":"a","payload":{}}"""));
    }
}
