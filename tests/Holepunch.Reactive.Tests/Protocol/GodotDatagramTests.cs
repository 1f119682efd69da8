using System.Net;
using System.Text;
using Holepunch.Reactive.Protocol;
using Holepunch.Reactive.Tests.Protocol.TestData;
using static Holepunch.Reactive.Tests.Protocol.MessageAssert;

namespace Holepunch.Reactive.Tests.Protocol;

/// <summary>The exact datagrams of the deployed Godot client: we read them, and write the same bytes back.</summary>
public class GodotDatagramTests
{
    [Fact]
    public void GodotRegistration_Decodes()
    {
        var message = Assert.IsType<RegisteringServer>(DecodeOk(GodotDatagrams.RegisteringServer));

        Assert.Equal("room", message.Sender);
        Assert.Equal("", message.IntendedRecipient);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 4001), message.LocalEndPoint);
        Assert.Equal(60, message.SecondsBeforeExpiry);
        Assert.Equal(MessageKind.RegisteringServer, message.Kind);
    }

    [Fact]
    public void GodotInquiry_Decodes()
    {
        var message = Assert.IsType<LocalGlobalInquiry>(DecodeOk(GodotDatagrams.LocalGlobalInquiry));

        Assert.Equal("room", message.Sender);
        Assert.Equal("joiner", message.IntendedRecipient);
        Assert.True(message.UsedGlobal);
    }

    [Fact]
    public void GodotReliableMessage_Decodes()
    {
        var message = Assert.IsType<ReliablePeerMessage>(DecodeOk(GodotDatagrams.ReliablePeerMessage));

        Assert.Equal("room", message.Sender);
        Assert.Equal("joiner", message.IntendedRecipient);
        Assert.Equal(0, message.MessageId);
        Assert.Equal("hello", message.Message.GetString());
    }

    [Fact]
    public void GodotReliableResponse_Decodes()
    {
        var message = Assert.IsType<ReliablePeerMessageResponse>(DecodeOk(GodotDatagrams.ReliablePeerMessageResponse));

        Assert.Equal("joiner", message.Sender);
        Assert.Equal("room", message.IntendedRecipient);
        Assert.Equal(0, message.MessageId);
        Assert.Equal("hello", message.Message?.GetString());
    }

    [Fact]
    public void OurInquiry_IsByteForByteGodots()
    {
        var bytes = MessageCodec.EncodeToArray(new LocalGlobalInquiry("room", "joiner", true));

        Assert.Equal(GodotDatagrams.LocalGlobalInquiry, Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void OurReliableMessage_IsByteForByteGodots()
    {
        var bytes = MessageCodec.EncodeToArray(new ReliablePeerMessage("room", "joiner", 0, Json("\"hello\"")));

        Assert.Equal(GodotDatagrams.ReliablePeerMessage, Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void OurReliableResponse_IsByteForByteGodots()
    {
        var bytes = MessageCodec.EncodeToArray(new ReliablePeerMessageResponse("joiner", "room", 0, Json("\"hello\"")));

        Assert.Equal(GodotDatagrams.ReliablePeerMessageResponse, Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void OurRegistration_CarriesBothLocalAddressSpellings()
    {
        var bytes = MessageCodec.EncodeToArray(new RegisteringServer("room", new IPEndPoint(IPAddress.Loopback, 4001), 60));

        // Godot's datagram with the seed/Python spelling added beside Godot's own.
        Assert.Equal(
            """{"type":"registering-server","local-address":["127.0.0.1",4001],"local-ip":"127.0.0.1","local-port":4001,"seconds-before-expiry":60,"sender":"room","intended-recipient":""}""",
            Encoding.UTF8.GetString(bytes));
        Equal(DecodeOk(GodotDatagrams.RegisteringServer), DecodeOk(bytes));
    }

    [Fact]
    public void OurJoin_CarriesBothLocalAddressSpellings()
    {
        var bytes = MessageCodec.EncodeToArray(new RequestingToJoinServer("joiner", new IPEndPoint(IPAddress.Loopback, 4002), "room"));

        Assert.Equal(
            """{"type":"requesting-to-join-server","local-address":["127.0.0.1",4002],"local-ip":"127.0.0.1","local-port":4002,"server-name":"room","sender":"joiner","intended-recipient":""}""",
            Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void OurInquiryResponse_UsesTheSpellingGodotExpects()
    {
        var text = Encoding.UTF8.GetString(MessageCodec.EncodeToArray(new LocalGlobalInquiryResponse("joiner", "room", true)));

        Assert.Equal("""{"used-global":true,"type":"local-global-inquiry-response","sender":"joiner","intended-recipient":"room"}""", text);
    }

    [Fact]
    public void OurUnreliableMessage_UsesTheSpellingGodotExpects()
    {
        var text = Encoding.UTF8.GetString(MessageCodec.EncodeToArray(new UnreliablePeerMessage("room", "joiner", Json("[1,\"a\"]"))));

        Assert.Equal("""{"message":[1,"a"],"type":"unreliable-peer-message","sender":"room","intended-recipient":"joiner"}""", text);
    }
}
