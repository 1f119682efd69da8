using System.Net;
using Holepunch.Reactive.Protocol;
using static Holepunch.Reactive.Tests.Protocol.MessageAssert;

namespace Holepunch.Reactive.Tests.Protocol;

/// <summary>Every spelling that the seed documentation, the Python server or the Godot client uses decodes.</summary>
public class MessageCodecVariantTests
{
    private static readonly IPEndPoint Local = new(IPAddress.Parse("192.168.1.20"), 4000);

    [Theory]
    [InlineData("""{"type":"registering-server","sender":"room","intended-recipient":"","local-ip":"192.168.1.20","local-port":4000,"seconds-before-expiry":60}""")]
    [InlineData("""{"type":"registering-server","sender":"room","intended-recipient":"","local-address":["192.168.1.20",4000],"seconds-before-expiry":60}""")]
    [InlineData("""{"local-address":["192.168.1.20",4000],"local-ip":"192.168.1.20","local-port":4000,"seconds-before-expiry":60,"type":"registering-server","sender":"room","intended-recipient":""}""")]
    [InlineData("""{"type":"registering-server","sender":"room","intended-recipient":"","local-ip":"192.168.1.20","local-port":4000.0,"seconds-before-expiry":60.0}""")]
    [InlineData("""{"type":"registering-server","sender":"room","intended-recipient":"","local-address":["192.168.1.20",4000.0],"seconds-before-expiry":6e1}""")]
    [InlineData("""{"type":"registering-server","sender":"room","local-address":["192.168.1.20",4000],"seconds-before-expiry":60}""")]
    public void RegisteringServer_EveryLocalAddressSpelling_Decodes(string datagram)
    {
        Equal(new RegisteringServer("room", Local, 60), DecodeOk(datagram));
    }

    [Theory]
    [InlineData("""{"type":"requesting-to-join-server","sender":"joiner","intended-recipient":"","local-ip":"192.168.1.20","local-port":4000,"server-name":"room"}""")]
    [InlineData("""{"type":"requesting-to-join-server","sender":"joiner","intended-recipient":"","local-address":["192.168.1.20",4000],"server-name":"room"}""")]
    [InlineData("""{"server-name":"room","local-address":["192.168.1.20",4000.0],"type":"requesting-to-join-server","sender":"joiner","intended-recipient":""}""")]
    public void RequestingToJoinServer_EveryLocalAddressSpelling_Decodes(string datagram)
    {
        Equal(new RequestingToJoinServer("joiner", Local, "room"), DecodeOk(datagram));
    }

    [Fact]
    public void BothLocalAddressSpellings_LocalAddressArrayWins()
    {
        var message = DecodeOk("""{"type":"requesting-to-join-server","sender":"j","local-ip":"10.0.0.1","local-port":1,"local-address":["192.168.1.20",4000],"server-name":"room"}""");

        Assert.Equal(Local, ((RequestingToJoinServer)message).LocalEndPoint);
    }

    [Theory]
    [InlineData("local-global-inquiry-response")]
    [InlineData("local-global-inqury-response")]
    public void InquiryResponse_BothSpellings_Decode(string type)
    {
        var message = DecodeOk($$"""{"used-global":false,"type":"{{type}}","sender":"joiner","intended-recipient":"room"}""");

        Equal(new LocalGlobalInquiryResponse("joiner", "room", false), message);
    }

    [Theory]
    [InlineData("peer-message")]
    [InlineData("unreliable-peer-message")]
    public void UnreliableMessage_BothSpellings_Decode(string type)
    {
        var message = DecodeOk($$"""{"message":{"score":3},"type":"{{type}}","sender":"room","intended-recipient":"joiner"}""");

        Equal(new UnreliablePeerMessage("room", "joiner", Json("""{"score":3}""")), message);
    }

    [Theory]
    [InlineData("4000", 4000)]
    [InlineData("4000.0", 4000)]
    [InlineData("4000.000", 4000)]
    [InlineData("4e3", 4000)]
    [InlineData("1", 1)]
    [InlineData("65535.0", 65535)]
    public void Port_WholeNumberInAnyNotation_Decodes(string port, int expected)
    {
        var message = DecodeOk($$"""{"type":"requesting-to-join-server","sender":"j","local-ip":"127.0.0.1","local-port":{{port}},"server-name":"room"}""");
        var fromArray = DecodeOk($$"""{"type":"requesting-to-join-server","sender":"j","local-address":["127.0.0.1",{{port}}],"server-name":"room"}""");

        Assert.Equal(expected, ((RequestingToJoinServer)message).LocalEndPoint.Port);
        Assert.Equal(expected, ((RequestingToJoinServer)fromArray).LocalEndPoint.Port);
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("0.0", 0L)]
    [InlineData("-0.0", 0L)]
    [InlineData("21.0", 21L)]
    [InlineData("9007199254740992.0", 9007199254740992L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void MessageId_WholeNumberInAnyNotation_Decodes(string id, long expected)
    {
        var reliable = DecodeOk($$"""{"message":1,"message-id":{{id}},"type":"reliable-peer-message","sender":"a","intended-recipient":"b"}""");
        var response = DecodeOk($$"""{"message-id":{{id}},"type":"reliable-peer-message-response","sender":"b","intended-recipient":"a"}""");

        Assert.Equal(expected, ((ReliablePeerMessage)reliable).MessageId);
        Assert.Equal(expected, ((ReliablePeerMessageResponse)response).MessageId);
    }

    [Fact]
    public void Inquiry_KeysInEveryOrder_DecodeAlike()
    {
        string[] pairs = ["\"used-global\":true", "\"type\":\"local-global-inqury\"", "\"sender\":\"room\"", "\"intended-recipient\":\"joiner\""];
        var expected = new LocalGlobalInquiry("room", "joiner", true);

        var orders = Permutations(pairs).ToList();

        Assert.Equal(24, orders.Count);
        Assert.All(orders, order => Equal(expected, DecodeOk("{" + string.Join(",", order) + "}")));
    }

    [Fact]
    public void HandshakeInfo_KeysInAnyOrder_Decode()
    {
        var expected = new ProvidingPeerHandshakeInfo("joiner", "room", new IPEndPoint(IPAddress.Parse("203.0.113.7"), 61234), Local);

        Equal(expected, DecodeOk("""{"type":"providing-peer-handshake-info","intended-recipient":"joiner","peer-name":"room","global-address":["203.0.113.7",61234],"local-address":["192.168.1.20",4000]}"""));
        Equal(expected, DecodeOk("""{"local-address":["192.168.1.20",4000.0],"global-address":["203.0.113.7",61234.0],"peer-name":"room","intended-recipient":"joiner","type":"providing-peer-handshake-info"}"""));
    }

    [Fact]
    public void UnknownKeys_AreIgnored()
    {
        var message = DecodeOk("""
            {"extra":{"nested":[1,{"type":"server-error"}],"s":"x"},"Type":"peer-check-response","used-global":"not a bool",
             "type":"peer-check","sender":"room","password":null,"intended-recipient":"joiner","message-id":-5,"zz":[[[]]]}
            """);

        Equal(new PeerCheck("room", "joiner"), message);
    }

    [Fact]
    public void ServerMessages_WithoutIntendedRecipient_DecodeWithAnEmptyRecipient()
    {
        Equal(new ConfirmingRegistration(""), DecodeOk("""{"type":"confirming-registration"}"""));
        Equal(new ServerError("", "room not found"), DecodeOk("""{"message":"room not found","type":"server-error"}"""));
    }

    [Fact]
    public void EscapedTypeAndKeys_Decode()
    {
        var message = DecodeOk("""{"\u0074ype":"peer\u002dcheck","sender":"r\u00f6om","intended-recipient":"joiner"}""");

        Equal(new PeerCheck("röom", "joiner"), message);
    }

    [Fact]
    public void WhitespaceAroundTheObject_IsAccepted()
    {
        Equal(new PeerCheck("room", "joiner"), DecodeOk(" \r\n{ \"type\" : \"peer-check\" , \"sender\":\"room\",\"intended-recipient\":\"joiner\" }\n"));
    }

    [Fact]
    public void ReliableResponse_WithoutMirroredMessage_Decodes()
    {
        var message = (ReliablePeerMessageResponse)DecodeOk("""{"message-id":3,"type":"reliable-peer-message-response","sender":"joiner","intended-recipient":"room"}""");

        Assert.Null(message.Message);
        Assert.Equal(3, message.MessageId);
    }

    private static IEnumerable<string[]> Permutations(string[] items)
    {
        if (items.Length <= 1)
        {
            yield return items;
            yield break;
        }

        for (var i = 0; i < items.Length; i++)
        {
            foreach (var rest in Permutations([.. items[..i], .. items[(i + 1)..]]))
            {
                yield return [items[i], .. rest];
            }
        }
    }
}
