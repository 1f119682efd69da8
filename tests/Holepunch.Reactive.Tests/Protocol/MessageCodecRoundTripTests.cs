using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Holepunch.Reactive.Protocol;
using static Holepunch.Reactive.Tests.Protocol.MessageAssert;

namespace Holepunch.Reactive.Tests.Protocol;

public class MessageCodecRoundTripTests
{
    private static readonly IPEndPoint Lan = new(IPAddress.Parse("192.168.1.20"), 4001);
    private static readonly IPEndPoint Public = new(IPAddress.Parse("203.0.113.7"), 61_234);
    private static readonly IPEndPoint V6 = new(IPAddress.Parse("2001:db8::1"), 65_535);

    /// <summary>Every message kind, some several times with edge values.</summary>
    public static readonly HolepunchMessage[] Samples =
    [
        new RegisteringServer("room", Lan, 60),
        new RegisteringServer("room", V6, 0),
        new RequestingToJoinServer("joiner", Lan, "room"),
        new RequestingToJoinServer("jöiner 中", new IPEndPoint(IPAddress.Loopback, 1), "r\"o\\om"),
        new ConfirmingRegistration("room"),
        new ConfirmingRegistration(""),
        new ProvidingPeerHandshakeInfo("room", "joiner", Public, Lan),
        new ProvidingPeerHandshakeInfo("joiner", "room", V6, new IPEndPoint(IPAddress.IPv6Loopback, 4002)),
        new ServerError("joiner", "room not found"),
        new ServerError("joiner", "missing info from packet data: server-name"),
        new LocalGlobalInquiry("room", "joiner", true),
        new LocalGlobalInquiry("room", "joiner", false),
        new LocalGlobalInquiryResponse("joiner", "room", true),
        new LocalGlobalInquiryResponse("joiner", "room", false),
        new PeerCheck("room", "joiner"),
        new PeerCheckResponse("joiner", "room"),
        new UnreliablePeerMessage("room", "joiner", Json("\"hello\"")),
        new UnreliablePeerMessage("room", "joiner", Json("""{"x":[1,2.5,-3e2,true,false,null,{"y":"z"}],"emoji":"😀"}""")),
        new UnreliablePeerMessage("room", "joiner", Json("null")),
        new ReliablePeerMessage("room", "joiner", 0, Json("\"hello\"")),
        new ReliablePeerMessage("room", "joiner", long.MaxValue, Json("[1,[2,[3]]]")),
        new ReliablePeerMessage("room", "joiner", 21, Json("4000.0")),
        new ReliablePeerMessageResponse("joiner", "room", 0, Json("\"hello\"")),
        new ReliablePeerMessageResponse("joiner", "room", 7, null),
        new RegisteringServer("room", Lan, 60) { Capabilities = ["relay"], ProtocolVersion = 1 },
        new RegisteringServer("room", Lan, 60) { ProtocolVersion = 0 },
        new RequestingToJoinServer("joiner", Lan, "room") { Capabilities = ["relay", "future-thing"], ProtocolVersion = 1 },
        new RequestingToJoinServer("joiner", Lan, "room") { Capabilities = [] },
        new ProvidingPeerHandshakeInfo("joiner", "room", Public, Lan) { PeerCapabilities = ["relay"], RelayToken = Token },
        new ProvidingPeerHandshakeInfo("room", "joiner", Public, Lan) { PeerCapabilities = [] },
        new ProvidingPeerHandshakeInfo("room", "joiner", Public, Lan) { RelayToken = Token },
        new ProvidingPeerHandshakeInfo("room", "joiner", Public, Lan) { RelayToken = Token, PeerKey = "MFkwEwYHKoZIzj0CAQ" },
        new RegisteringServer("room", Lan, 60) { Capabilities = ["relay"], ProtocolVersion = 1, PeerKey = "a-b_c" },
        new RequestingToJoinServer("joiner", Lan, "room") { PeerKey = "a-b_c" },
        new RelayDatagram("room", "", Token, Json("""{"type":"peer-check","sender":"room","intended-recipient":"joiner"}""")),
        new RelayDatagram("room", "joiner", Token, Json("""{"message":{"x":[1,2.5,null]},"message-id":4,"type":"reliable-peer-message"}""")),
        new RelayDatagram("jöiner 中", "", "", Json("{}")),
        new RelayRefused("joiner", Token, "relay full"),
        new RelayRefused("", "", "unknown relay"),
        new NatProbe("joiner", 0),
        new NatProbe("", long.MaxValue),
        new NatProbeResponse("joiner", 7, Public),
        new NatProbeResponse("", 0, V6),
        new SealedPeerDatagram("host", "joiner", 0, "AAAAAAAAAAAAAAAAAAAAAA"),
        new SealedPeerDatagram("joiner", "host", 9_007_199_254_740_000, "c2VhbGVk"),
        new PeerBatch("joiner", "room", [0, 7, long.MaxValue], []),
        new PeerBatch("joiner", "room", [], [new PeerCheck("joiner", "room")]),
        new PeerBatch("jöiner 中", "room", [3], [
            new ReliablePeerMessage("jöiner 中", "room", 4, Json("""{"x":[1,2.5,null],"s":"\"q\""}""")),
            new UnreliablePeerMessage("jöiner 中", "room", Json("[]")),
            new ReliablePeerMessageResponse("jöiner 中", "room", 9, null),
            new PeerCheckResponse("jöiner 中", "room")]),
    ];

    private const string Token = "AAECAwQFBgcICQoLDA0ODw";

    public static TheoryData<HolepunchMessage> EveryKind() => [.. Samples];

    [Theory]
    [MemberData(nameof(EveryKind))]
    public void EncodeThenDecode_GivesAnEqualMessage(HolepunchMessage message)
    {
        var datagram = MessageCodec.EncodeToArray(message);

        Equal(message, DecodeOk(datagram));
    }

    [Theory]
    [MemberData(nameof(EveryKind))]
    public void Encode_WritesCompactJsonWithTheWireType(HolepunchMessage message)
    {
        var datagram = MessageCodec.EncodeToArray(message);

        // Rewriting the parsed datagram compactly, unescaped as Godot writes it, changes nothing.
        using var document = JsonDocument.Parse(datagram);
        var compact = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(compact, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            document.WriteTo(writer);
        }

        Assert.Equal(Encoding.UTF8.GetString(compact.WrittenSpan), Encoding.UTF8.GetString(datagram));
        Assert.Equal(WireNames.TypeOf(message.Kind), document.RootElement.GetProperty("type").GetString());
    }

    [Fact]
    public void EveryKind_CoversEveryMessageKind()
    {
        var covered = Samples.Select(m => m.Kind).ToHashSet();

        var expected = Enum.GetValues<MessageKind>().Where(k => k != MessageKind.Unknown);
        Assert.All(expected, kind => Assert.Contains(kind, covered));
    }

    [Fact]
    public void Encode_IntoABufferWriter_AppendsTheSameBytesAsEncodeToArray()
    {
        var message = new PeerCheck("room", "joiner");
        var buffer = new ArrayBufferWriter<byte>();
        buffer.Write("xx"u8);

        MessageCodec.Encode(message, buffer);
        MessageCodec.Encode(message, buffer);

        var single = MessageCodec.EncodeToArray(message);
        Assert.Equal([.. "xx"u8, .. single, .. single], buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void PeerMessagesEncodedWithoutARecord_AreTheRecordsBytes()
    {
        // The client's send paths write unreliable and reliable messages without making the record first.
        var value = JsonDocument.Parse("""{"k":["é",1.5,null]}""").RootElement;
        var unreliable = new ArrayBufferWriter<byte>();
        var reliable = new ArrayBufferWriter<byte>();

        MessageCodec.EncodeUnreliablePeerMessage("joiner", "room", value, unreliable);
        MessageCodec.EncodeReliablePeerMessage("joiner", "room", 42, value, reliable);

        Assert.Equal(MessageCodec.EncodeToArray(new UnreliablePeerMessage("joiner", "room", value)), unreliable.WrittenSpan.ToArray());
        Assert.Equal(MessageCodec.EncodeToArray(new ReliablePeerMessage("joiner", "room", 42, value)), reliable.WrittenSpan.ToArray());
    }

    [Fact]
    public void Encode_NonAsciiText_IsWrittenAsUtf8NotEscaped()
    {
        var text = Encoding.UTF8.GetString(MessageCodec.EncodeToArray(new PeerCheck("jöiner 中", "room")));

        Assert.Contains("\"sender\":\"jöiner 中\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => MessageCodec.Encode(null!, new ArrayBufferWriter<byte>()));
        Assert.Throws<ArgumentNullException>(() => MessageCodec.Encode(new PeerCheck("a", "b"), null!));
    }
}
