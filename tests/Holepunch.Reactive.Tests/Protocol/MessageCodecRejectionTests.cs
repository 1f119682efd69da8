using System.Text;
using Holepunch.Reactive.Protocol;
using static Holepunch.Reactive.Tests.Protocol.MessageAssert;

namespace Holepunch.Reactive.Tests.Protocol;

/// <summary>Bad datagrams become a <see cref="Rejection"/> that says why and, where it can, which key and who sent it.</summary>
public class MessageCodecRejectionTests
{
    /// <summary>A valid datagram of each kind as key → raw JSON value, and the keys that kind cannot do without.</summary>
    private static readonly (string Type, (string Key, string Value)[] Fields, string[] Required)[] Kinds =
    [
        ("registering-server", [("sender", "\"room\""), ("intended-recipient", "\"\""), ("local-address", "[\"10.0.0.2\",4001]"), ("seconds-before-expiry", "60")],
            ["sender", "local-address", "seconds-before-expiry"]),
        ("requesting-to-join-server", [("sender", "\"joiner\""), ("intended-recipient", "\"\""), ("local-address", "[\"10.0.0.3\",4002]"), ("server-name", "\"room\"")],
            ["sender", "local-address", "server-name"]),
        ("providing-peer-handshake-info", [("intended-recipient", "\"joiner\""), ("peer-name", "\"room\""), ("global-address", "[\"203.0.113.7\",5000]"), ("local-address", "[\"10.0.0.2\",4001]")],
            ["peer-name", "global-address", "local-address"]),
        ("server-error", [("intended-recipient", "\"joiner\""), ("message", "\"room not found\"")], ["message"]),
        ("local-global-inqury", [("sender", "\"room\""), ("intended-recipient", "\"joiner\""), ("used-global", "true")], ["sender", "intended-recipient", "used-global"]),
        ("local-global-inquiry-response", [("sender", "\"joiner\""), ("intended-recipient", "\"room\""), ("used-global", "false")], ["sender", "intended-recipient", "used-global"]),
        ("peer-check", [("sender", "\"room\""), ("intended-recipient", "\"joiner\"")], ["sender", "intended-recipient"]),
        ("peer-check-response", [("sender", "\"joiner\""), ("intended-recipient", "\"room\"")], ["sender", "intended-recipient"]),
        ("unreliable-peer-message", [("sender", "\"room\""), ("intended-recipient", "\"joiner\""), ("message", "{\"a\":1}")], ["sender", "intended-recipient", "message"]),
        ("reliable-peer-message", [("sender", "\"room\""), ("intended-recipient", "\"joiner\""), ("message-id", "4"), ("message", "\"hi\"")],
            ["sender", "intended-recipient", "message-id", "message"]),
        ("reliable-peer-message-response", [("sender", "\"joiner\""), ("intended-recipient", "\"room\""), ("message-id", "4")], ["sender", "intended-recipient", "message-id"]),
        ("relay-datagram", [("relay-token", "\"t\""), ("sender", "\"room\""), ("intended-recipient", "\"\""), ("payload", "{\"type\":\"peer-check\"}")],
            ["relay-token", "sender", "payload"]),
        ("relay-refused", [("relay-token", "\"t\""), ("message", "\"relay full\""), ("intended-recipient", "\"room\"")], ["relay-token", "message"]),
        ("nat-probe", [("sender", "\"room\""), ("intended-recipient", "\"\""), ("probe-id", "3")], ["sender", "probe-id"]),
        ("nat-probe-response", [("probe-id", "3"), ("observed-address", "[\"203.0.113.7\",5000]"), ("intended-recipient", "\"room\"")],
            ["probe-id", "observed-address"]),
    ];

    public static TheoryData<string, string> EveryRequiredField()
    {
        var data = new TheoryData<string, string>();
        foreach (var (type, _, required) in Kinds)
        {
            foreach (var key in required)
            {
                data.Add(type, key);
            }
        }

        return data;
    }

    [Fact]
    public void EveryKindsValidDatagram_Decodes()
    {
        Assert.All(Kinds, kind => DecodeOk(Datagram(kind.Type, kind.Fields)));
    }

    [Theory]
    [MemberData(nameof(EveryRequiredField))]
    public void RequiredFieldMissing_RejectedAsMissingFieldNamingTheKey(string type, string key)
    {
        var (_, fields, _) = Kinds.Single(k => k.Type == type);

        var rejection = DecodeRejected(Datagram(type, fields.Where(f => f.Key != key)));

        Assert.Equal(RejectionReason.MissingField, rejection.Reason);
        Assert.Equal(key, rejection.Key);
        Assert.Equal(WireNames.KindOf(Encoding.UTF8.GetBytes(type)), rejection.Kind);
    }

    [Theory]
    [InlineData("local-ip", "local-port")]
    [InlineData("local-port", "local-ip")]
    public void HalfOfTheSeedLocalAddress_RejectedNamingTheOtherHalf(string present, string missing)
    {
        var value = present == "local-ip" ? "\"10.0.0.2\"" : "4001";

        var rejection = DecodeRejected($$"""{"type":"registering-server","sender":"room","{{present}}":{{value}},"seconds-before-expiry":60}""");

        Assert.Equal(new Rejection(RejectionReason.MissingField, MessageKind.RegisteringServer, missing, "room"), rejection);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0x00, 0x13, 0x37 })]
    [InlineData(new byte[] { (byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o' })]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { (byte)' ', (byte)'\n' })]
    [InlineData(new byte[] { (byte)'{' })]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF, (byte)'{', (byte)'}' })]
    public void NotJson_RejectedAsMalformed(byte[] datagram)
    {
        Assert.Equal(new Rejection(RejectionReason.MalformedJson), DecodeRejected(datagram));
    }

    [Theory]
    [InlineData("""{"type":"peer-check","sender":"room","intended-recipient":"joi""")]
    [InlineData("""{"type":"peer-check","sender":"room","intended-recipient":"joiner" """)]
    [InlineData("""{"type":"peer-check","sender":"room",""")]
    [InlineData("""{"message":[1,2""")]
    [InlineData("""{"type":"peer-check","sender":"room","intended-recipient":"joiner",}""")]
    [InlineData("""{"type":"peer-check",/*comment*/"sender":"room","intended-recipient":"joiner"}""")]
    [InlineData("""{'type':'peer-check'}""")]
    public void TruncatedOrInvalidJson_RejectedAsMalformed(string datagram)
    {
        Assert.Equal(RejectionReason.MalformedJson, DecodeRejected(datagram).Reason);
    }

    [Fact]
    public void EveryPrefixOfAValidDatagram_IsRejectedWithoutThrowing()
    {
        var datagram = Utf8(Tests.Protocol.TestData.GodotDatagrams.ReliablePeerMessage);

        for (var length = 0; length < datagram.Length; length++)
        {
            Assert.Equal(RejectionReason.MalformedJson, DecodeRejected(datagram[..length]).Reason);
        }
    }

    [Theory]
    [InlineData("""{"type":"peer-check","sender":"room","intended-recipient":"joiner"}x""")]
    [InlineData("""{"type":"peer-check","sender":"room","intended-recipient":"joiner"}{}""")]
    [InlineData("""{"type":"peer-check","sender":"room","intended-recipient":"joiner"} 1""")]
    [InlineData("""{"type":"peer-check","sender":"room","intended-recipient":"joiner"}}""")]
    [InlineData("1 x")]
    [InlineData("[1] [2]")]
    public void TrailingBytesAfterTheValue_RejectedAsMalformed(string datagram)
    {
        Assert.Equal(RejectionReason.MalformedJson, DecodeRejected(datagram).Reason);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("""[{"type":"peer-check","sender":"room","intended-recipient":"joiner"}]""")]
    [InlineData("4000")]
    [InlineData("4000.0")]
    [InlineData("\"peer-check\"")]
    [InlineData("null")]
    [InlineData("true")]
    public void JsonThatIsNotAnObject_RejectedAsNotAnObject(string datagram)
    {
        Assert.Equal(new Rejection(RejectionReason.NotAnObject), DecodeRejected(datagram));
    }

    [Theory]
    [InlineData("""{"sender":"room","intended-recipient":"joiner"}""")]
    [InlineData("""{"type":5,"sender":"room","intended-recipient":"joiner"}""")]
    [InlineData("""{"type":null,"sender":"room","intended-recipient":"joiner"}""")]
    [InlineData("""{"type":["peer-check"],"sender":"room","intended-recipient":"joiner"}""")]
    [InlineData("""{"Type":"peer-check","sender":"room","intended-recipient":"joiner"}""")]
    public void NoStringType_RejectedAsMissingType(string datagram)
    {
        Assert.Equal(new Rejection(RejectionReason.MissingType, Key: "type", Sender: "room"), DecodeRejected(datagram));
    }

    [Fact]
    public void EmptyObject_RejectedAsMissingTypeWithoutSender()
    {
        Assert.Equal(new Rejection(RejectionReason.MissingType, Key: "type"), DecodeRejected("{}"));
    }

    [Theory]
    [InlineData("peer-chec")]
    [InlineData("PEER-CHECK")]
    [InlineData("local-global-inquiry")]
    [InlineData("requesting-server-list")]
    [InlineData("")]
    public void UnknownType_RejectedAsUnknownType(string type)
    {
        var rejection = DecodeRejected($$"""{"type":"{{type}}","sender":"room","intended-recipient":"joiner"}""");

        Assert.Equal(new Rejection(RejectionReason.UnknownType, MessageKind.Unknown, "type", "room"), rejection);
    }

    [Theory]
    [InlineData("""{"type":"peer-check","sender":5,"intended-recipient":"joiner"}""", "sender")]
    [InlineData("""{"type":"peer-check","sender":null,"intended-recipient":"joiner"}""", "sender")]
    [InlineData("""{"type":"peer-check","sender":"room","intended-recipient":["joiner"]}""", "intended-recipient")]
    [InlineData("""{"used-global":"true","type":"local-global-inqury","sender":"room","intended-recipient":"joiner"}""", "used-global")]
    [InlineData("""{"used-global":1,"type":"local-global-inqury","sender":"room","intended-recipient":"joiner"}""", "used-global")]
    [InlineData("""{"type":"registering-server","sender":"room","local-ip":"10.0.0.2","local-port":4000.5,"seconds-before-expiry":60}""", "local-port")]
    [InlineData("""{"type":"registering-server","sender":"room","local-ip":"10.0.0.2","local-port":"4000","seconds-before-expiry":60}""", "local-port")]
    [InlineData("""{"type":"registering-server","sender":"room","local-ip":4000,"local-port":4000,"seconds-before-expiry":60}""", "local-ip")]
    [InlineData("""{"type":"registering-server","sender":"room","local-address":["10.0.0.2",4000],"seconds-before-expiry":"60"}""", "seconds-before-expiry")]
    [InlineData("""{"type":"registering-server","sender":"room","local-address":["10.0.0.2",4000],"seconds-before-expiry":59.5}""", "seconds-before-expiry")]
    [InlineData("""{"type":"requesting-to-join-server","sender":"room","local-address":["10.0.0.2",4000],"server-name":7}""", "server-name")]
    [InlineData("""{"message":1,"message-id":"4","type":"reliable-peer-message","sender":"room","intended-recipient":"joiner"}""", "message-id")]
    [InlineData("""{"message":1,"message-id":4.25,"type":"reliable-peer-message","sender":"room","intended-recipient":"joiner"}""", "message-id")]
    [InlineData("""{"message":1,"message-id":1e400,"type":"reliable-peer-message","sender":"room","intended-recipient":"joiner"}""", "message-id")]
    [InlineData("""{"message-id":true,"type":"reliable-peer-message-response","sender":"room","intended-recipient":"joiner"}""", "message-id")]
    [InlineData("""{"message":{"text":"nope"},"type":"server-error","intended-recipient":"joiner"}""", "message")]
    [InlineData("""{"type":"relay-datagram","relay-token":"t","sender":"room","intended-recipient":"","payload":[1]}""", "payload")]
    [InlineData("""{"type":"relay-datagram","relay-token":"t","sender":"room","intended-recipient":"","payload":"{}"}""", "payload")]
    [InlineData("""{"type":"relay-datagram","relay-token":"t","sender":"room","intended-recipient":"","payload":null}""", "payload")]
    [InlineData("""{"type":"relay-datagram","relay-token":7,"sender":"room","intended-recipient":"","payload":{}}""", "relay-token")]
    [InlineData("""{"type":"relay-refused","relay-token":"t","message":3,"intended-recipient":"room"}""", "message")]
    [InlineData("""{"type":"nat-probe","sender":"room","intended-recipient":"","probe-id":"3"}""", "probe-id")]
    [InlineData("""{"type":"nat-probe","sender":"room","intended-recipient":"","probe-id":3.5}""", "probe-id")]
    public void WrongJsonType_RejectedAsWrongTypeNamingTheKey(string datagram, string key)
    {
        var rejection = DecodeRejected(datagram);

        Assert.Equal(RejectionReason.WrongType, rejection.Reason);
        Assert.Equal(key, rejection.Key);
    }

    [Theory]
    [InlineData("""{"type":"registering-server","sender":"room","local-address":"10.0.0.2:4000","seconds-before-expiry":60}""", "local-address")]
    [InlineData("""{"type":"registering-server","sender":"room","local-address":["10.0.0.2"],"seconds-before-expiry":60}""", "local-address")]
    [InlineData("""{"type":"registering-server","sender":"room","local-address":[],"seconds-before-expiry":60}""", "local-address")]
    [InlineData("""{"type":"registering-server","sender":"room","local-address":["10.0.0.2",4000,1],"seconds-before-expiry":60}""", "local-address")]
    [InlineData("""{"type":"registering-server","sender":"room","local-address":[4000,"10.0.0.2"],"seconds-before-expiry":60}""", "local-address")]
    [InlineData("""{"type":"registering-server","sender":"room","local-address":["10.0.0.2",4000.5],"seconds-before-expiry":60}""", "local-address")]
    [InlineData("""{"type":"registering-server","sender":"room","local-address":["not-an-ip",4000],"seconds-before-expiry":60}""", "local-address")]
    [InlineData("""{"type":"registering-server","sender":"room","local-address":["999.1.1.1",4000],"seconds-before-expiry":60}""", "local-address")]
    [InlineData("""{"type":"registering-server","sender":"room","local-address":["",4000],"seconds-before-expiry":60}""", "local-address")]
    [InlineData("""{"type":"registering-server","sender":"room","local-ip":"not-an-ip","local-port":4000,"seconds-before-expiry":60}""", "local-ip")]
    [InlineData("""{"type":"registering-server","sender":"room","local-ip":"10.0.0.2.1","local-port":4000,"seconds-before-expiry":60}""", "local-ip")]
    [InlineData("""{"type":"providing-peer-handshake-info","intended-recipient":"j","peer-name":"room","global-address":["bad",5000],"local-address":["10.0.0.2",4001]}""", "global-address")]
    [InlineData("""{"type":"nat-probe-response","probe-id":1,"observed-address":"203.0.113.7:5000","intended-recipient":"j"}""", "observed-address")]
    [InlineData("""{"type":"nat-probe-response","probe-id":1,"observed-address":["203.0.113.7"],"intended-recipient":"j"}""", "observed-address")]
    public void InvalidAddress_RejectedAsInvalidAddressNamingTheKey(string datagram, string key)
    {
        var rejection = DecodeRejected(datagram);

        Assert.Equal(RejectionReason.InvalidAddress, rejection.Reason);
        Assert.Equal(key, rejection.Key);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("0.0")]
    [InlineData("-1")]
    [InlineData("65536")]
    [InlineData("70000")]
    [InlineData("70000.0")]
    public void PortOutOfRange_RejectedAsPortOutOfRange(string port)
    {
        var seed = DecodeRejected($$"""{"type":"registering-server","sender":"room","local-ip":"10.0.0.2","local-port":{{port}},"seconds-before-expiry":60}""");
        var godot = DecodeRejected($$"""{"type":"registering-server","sender":"room","local-address":["10.0.0.2",{{port}}],"seconds-before-expiry":60}""");
        var global = DecodeRejected($$"""{"type":"providing-peer-handshake-info","peer-name":"room","global-address":["203.0.113.7",{{port}}],"local-address":["10.0.0.2",4001]}""");

        Assert.Equal(new Rejection(RejectionReason.PortOutOfRange, MessageKind.RegisteringServer, "local-port", "room"), seed);
        Assert.Equal(new Rejection(RejectionReason.PortOutOfRange, MessageKind.RegisteringServer, "local-address", "room"), godot);
        Assert.Equal(new Rejection(RejectionReason.PortOutOfRange, MessageKind.ProvidingPeerHandshakeInfo, "global-address"), global);
    }

    [Theory]
    [InlineData("""{"message":1,"message-id":-1,"type":"reliable-peer-message","sender":"room","intended-recipient":"joiner"}""", "message-id")]
    [InlineData("""{"message":1,"message-id":-1.0,"type":"reliable-peer-message","sender":"room","intended-recipient":"joiner"}""", "message-id")]
    [InlineData("""{"message-id":-9223372036854775808,"type":"reliable-peer-message-response","sender":"room","intended-recipient":"joiner"}""", "message-id")]
    [InlineData("""{"type":"registering-server","sender":"room","local-address":["10.0.0.2",4000],"seconds-before-expiry":-1}""", "seconds-before-expiry")]
    [InlineData("""{"type":"registering-server","sender":"room","local-address":["10.0.0.2",4000],"seconds-before-expiry":2147483648}""", "seconds-before-expiry")]
    [InlineData("""{"type":"nat-probe","sender":"room","intended-recipient":"","probe-id":-1}""", "probe-id")]
    public void NumberOutOfRange_RejectedAsValueOutOfRange(string datagram, string key)
    {
        var rejection = DecodeRejected(datagram);

        Assert.Equal(new Rejection(RejectionReason.ValueOutOfRange, rejection.Kind, key, "room"), rejection);
    }

    [Fact]
    public void DatagramOverTheMaximum_RejectedAsOversize()
    {
        var padding = new string('x', MessageCodec.MaxUdpPayload);
        var datagram = Utf8($$"""{"pad":"{{padding}}","type":"peer-check","sender":"room","intended-recipient":"joiner"}""");

        Assert.Equal(new Rejection(RejectionReason.Oversize), DecodeRejected(datagram));
    }

    [Fact]
    public void DatagramOverACustomMaximum_RejectedAsOversize_AndAtTheMaximum_Decodes()
    {
        var datagram = Utf8(Tests.Protocol.TestData.GodotDatagrams.LocalGlobalInquiry);

        Assert.Equal(RejectionReason.Oversize, MessageCodec.Decode(datagram, maxDatagramSize: datagram.Length - 1).Rejection.Reason);
        Assert.True(MessageCodec.Decode(datagram, maxDatagramSize: datagram.Length).IsSuccess);
    }

    [Fact]
    public void DatagramOfExactlyTheUdpMaximum_IsRead()
    {
        var head = "{\"type\":\"peer-check\",\"sender\":\"room\",\"intended-recipient\":\"joiner\",\"pad\":\"";
        var padding = new string('x', MessageCodec.MaxUdpPayload - head.Length - 2);
        var datagram = Utf8(head + padding + "\"}");

        Assert.Equal(MessageCodec.MaxUdpPayload, datagram.Length);
        Equal(new PeerCheck("room", "joiner"), DecodeOk(datagram));
    }

    public static TheoryData<byte[]> InvalidUtf8() =>
    [
        Splice("{\"type\":\"peer-check\",\"sender\":\"ro", [0xFF], "om\",\"intended-recipient\":\"joiner\"}"),
        Splice("{\"type\":\"peer-check\",\"sender\":\"room\",\"intended-recipient\":\"joiner\",\"extra\":\"", [0xC3, 0x28], "\"}"),
        Splice("{\"message\":\"", [0xC3], "\",\"type\":\"peer-message\",\"sender\":\"room\",\"intended-recipient\":\"joiner\"}"),
        Splice("{\"message\":\"a", [0xED, 0xA0, 0x80], "\",\"type\":\"peer-message\",\"sender\":\"room\",\"intended-recipient\":\"joiner\"}"),
        Splice("{\"message\":{\"k", [0xF8, 0x88, 0x80, 0x80, 0x80], "\":1},\"type\":\"peer-message\",\"sender\":\"room\",\"intended-recipient\":\"joiner\"}"),
        Splice("{\"type\":\"peer-check\",\"sender\":\"room\",\"intended-recipient\":\"joiner\",\"", [0xC0, 0xAF], "\":1}"),
        Splice("{\"type\":\"peer-check", [0xE2, 0x82], "\",\"sender\":\"room\",\"intended-recipient\":\"joiner\"}"),
    ];

    [Theory]
    [MemberData(nameof(InvalidUtf8))]
    public void InvalidUtf8AnywhereInAString_RejectedAsMalformed(byte[] datagram)
    {
        Assert.Equal(new Rejection(RejectionReason.MalformedJson), DecodeRejected(datagram));
    }

    [Theory]
    [InlineData("""{"type":"peer-check","sender":"\ud800","intended-recipient":"joiner"}""")]
    [InlineData("""{"message":"\udc00x","type":"peer-message","sender":"room","intended-recipient":"joiner"}""")]
    [InlineData("""{"message":["ok",{"\ud83d":1}],"type":"peer-message","sender":"room","intended-recipient":"joiner"}""")]
    [InlineData("""{"message":"\ud83d","message-id":1,"type":"reliable-peer-message-response","sender":"room","intended-recipient":"joiner"}""")]
    public void LoneSurrogateEscape_RejectedAsMalformed(string datagram)
    {
        Assert.Equal(RejectionReason.MalformedJson, DecodeRejected(datagram).Reason);
    }

    [Fact]
    public void SurrogatePairEscape_Decodes()
    {
        var message = (UnreliablePeerMessage)DecodeOk("""{"message":"\ud83d\ude00","type":"peer-message","sender":"room","intended-recipient":"joiner"}""");

        Assert.Equal("😀", message.Message.GetString());
    }

    [Fact]
    public void NestingDeeperThanTheLimit_RejectedAsMalformed()
    {
        var deep = new string('[', 100) + new string(']', 100);

        Assert.Equal(RejectionReason.MalformedJson, DecodeRejected($$"""{"message":{{deep}},"type":"peer-message","sender":"room","intended-recipient":"joiner"}""").Reason);
    }

    [Fact]
    public void Rejection_CarriesTheSenderWhenItWasReadable()
    {
        var afterType = DecodeRejected("""{"type":"registering-server","sender":"room","local-address":["10.0.0.2",4000]}""");
        var beforeType = DecodeRejected("""{"sender":"room","local-address":["10.0.0.2",4000],"type":"registering-server"}""");
        var unreadable = DecodeRejected("""{"type":"registering-server","sender":12,"local-address":["10.0.0.2",4000]}""");

        Assert.Equal(new Rejection(RejectionReason.MissingField, MessageKind.RegisteringServer, "seconds-before-expiry", "room"), afterType);
        Assert.Equal(afterType, beforeType);
        Assert.Equal(new Rejection(RejectionReason.WrongType, MessageKind.RegisteringServer, "sender"), unreadable);
    }

    [Fact]
    public void SeveralProblems_TheFirstRequiredFieldInMessageOrderDecides()
    {
        var rejection = DecodeRejected("""{"message-id":-1,"type":"reliable-peer-message","sender":"room","intended-recipient":5}""");

        Assert.Equal(new Rejection(RejectionReason.WrongType, MessageKind.ReliablePeerMessage, "intended-recipient", "room"), rejection);
    }

    [Fact]
    public void Rejection_ToString_NamesReasonAndKey()
    {
        Assert.Equal("MissingField (sender)", new Rejection(RejectionReason.MissingField, Key: "sender").ToString());
        Assert.Equal("Oversize", new Rejection(RejectionReason.Oversize).ToString());
        Assert.Equal("Rejected: Oversize", MessageCodec.Decode(new byte[10], maxDatagramSize: 5).ToString());
    }

    private static string Datagram(string type, IEnumerable<(string Key, string Value)> fields) =>
        "{" + string.Join(",", fields.Select(f => $"\"{f.Key}\":{f.Value}").Append($"\"type\":\"{type}\"")) + "}";

    private static byte[] Splice(string before, byte[] middle, string after) => [.. Utf8(before), .. middle, .. Utf8(after)];
}
