using System.Net;
using System.Text;
using Holepunch.Reactive.Protocol;

namespace Holepunch.Reactive.Tests.Protocol;

/// <summary>The <c>peer-key</c> extension key and the <c>sealed-peer-datagram</c> message on the wire.</summary>
public class MessageCodecSealingTests
{
    private static readonly IPEndPoint Lan = new(IPAddress.Parse("10.0.0.7"), 4002);
    private static readonly IPEndPoint Public = new(IPAddress.Parse("203.0.113.7"), 61_234);

    private static HolepunchMessage Decode(string json)
    {
        var result = MessageCodec.Decode(Encoding.UTF8.GetBytes(json));
        Assert.True(result.IsSuccess, json);
        return result.Message;
    }

    [Fact]
    public void HandshakeInfo_WithPeerKey_IsWrittenLastAfterGodotsKeys()
    {
        var info = new ProvidingPeerHandshakeInfo("joiner", "room", Public, Lan) { RelayToken = "tok", PeerKey = "k-1_2" };

        Assert.EndsWith(
            "\"intended-recipient\":\"joiner\",\"relay-token\":\"tok\",\"peer-key\":\"k-1_2\"}",
            Encoding.UTF8.GetString(MessageCodec.EncodeToArray(info)),
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("[\"k\"]")]
    public void PeerKeyOfTheWrongType_CountsAsAbsent(string value)
    {
        var join = (RequestingToJoinServer)Decode(
            "{\"type\":\"requesting-to-join-server\",\"local-address\":[\"10.0.0.7\",4002],\"server-name\":\"room\",\"sender\":\"j\",\"peer-key\":" + value + "}");

        Assert.Null(join.PeerKey);
    }

    [Fact]
    public void SealedDatagram_IsWrittenInTheDesignedShape()
    {
        var text = Encoding.UTF8.GetString(MessageCodec.EncodeToArray(new SealedPeerDatagram("a", "b", 3, "xyz")));

        Assert.Equal("""{"type":"sealed-peer-datagram","sender":"a","intended-recipient":"b","nonce":3,"ciphertext":"xyz"}""", text);
    }

    [Theory]
    [InlineData("""{"type":"sealed-peer-datagram","sender":"a","intended-recipient":"b","ciphertext":"xyz"}""")]
    [InlineData("""{"type":"sealed-peer-datagram","sender":"a","intended-recipient":"b","nonce":-1,"ciphertext":"xyz"}""")]
    [InlineData("""{"type":"sealed-peer-datagram","sender":"a","intended-recipient":"b","nonce":1}""")]
    [InlineData("""{"type":"sealed-peer-datagram","sender":"a","intended-recipient":"b","nonce":1,"ciphertext":7}""")]
    public void SealedDatagram_MissingOrBadField_IsRejected(string json)
    {
        Assert.False(MessageCodec.Decode(Encoding.UTF8.GetBytes(json)).IsSuccess);
    }
}
